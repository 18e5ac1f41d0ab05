namespace FfmpegFunctions.Functions.Workflow;

/// <summary>
/// What an activity returns: the step's result, or the status of a composition a client stopped while the
/// step ran. Stopping is an expected outcome, so it travels as a value and not as an exception (which the
/// Functions host would log as a failed invocation with its stack trace).
/// </summary>
public sealed record StepResult<T>(T? Value, string? StoppedAs = null)
{
    public static StepResult<T> Done(T value) => new(value);

    public static StepResult<T> Stopped(string status) => new(default, status);
}
