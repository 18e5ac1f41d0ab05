namespace FfmpegFunctions.Core.Compositions;

/// <summary>One problem in a spec. <paramref name="Pointer"/> is an RFC 6901 JSON pointer ("" is the root).</summary>
public sealed record SpecError(string Pointer, string Message);
