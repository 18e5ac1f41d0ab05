namespace FfmpegFunctions.Core.Storage;

/// <summary>The object is not in storage (a missing input, or a temp object an earlier run already moved).</summary>
public sealed class ObjectNotFoundException(string key)
    : Exception($"The object '{key}' does not exist in storage.")
{
    public string Key { get; } = key;
}
