namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// A spec that passed validation but cannot be rendered with the probed inputs
/// (e.g. a transition longer than the clip it leaves). <see cref="Pointer"/> is a JSON pointer into the spec.
/// </summary>
public sealed class RenderPlanException : Exception
{
    public RenderPlanException(string pointer, string message)
        : base($"{pointer}: {message}")
    {
        Pointer = pointer;
        Detail = message;
    }

    public RenderPlanException() : this("", "The composition cannot be rendered.") { }

    public RenderPlanException(string message) : this("", message) { }

    public RenderPlanException(string message, Exception innerException) : base(message, innerException)
    {
        Pointer = "";
        Detail = message;
    }

    /// <summary>JSON pointer to the offending spec member, e.g. <c>/clips/1/transition/duration</c>.</summary>
    public string Pointer { get; }

    /// <summary>The message without the pointer prefix.</summary>
    public string Detail { get; }
}
