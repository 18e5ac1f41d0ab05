namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>What the engine tells the step host about one run of a step.</summary>
/// <param name="Guard">Every write of the step counts only while this holds (the Server's claim; always on Durable).</param>
/// <param name="Attempt">This run's attempt, as the engine counts it (the Server's claim; Durable's reruns of the step).</param>
/// <param name="Owner">Who runs it, recorded in job_steps.</param>
/// <param name="Stop">A client's stop, fed by the engine.</param>
/// <param name="PollForStop">Where the engine has no heartbeat (Durable): the host reads the composition this often.</param>
/// <param name="Record">Whether the host records the finished step in job_steps (a fanned-out task records itself in job_tasks).</param>
public sealed record StepRun(ClaimGuard Guard, int Attempt, string Owner, StepStop Stop, TimeSpan? PollForStop = null, bool Record = true);
