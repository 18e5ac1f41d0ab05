namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>
/// One filter with named options. Every value goes through <see cref="FilterEscaping"/> when
/// rendered, so callers never hand-escape and user text cannot leave its option.
/// </summary>
public sealed record Filter(string Name, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    public static Filter Of(string name, params (string Key, string Value)[] options) =>
        new(name, [.. options.Select(o => KeyValuePair.Create(o.Key, o.Value))]);

    public override string ToString()
    {
        if (Options.Count == 0) return Name;
        var arguments = string.Join(':', Options.Select(o => o.Key + "=" + FilterEscaping.OptionValue(o.Value)));
        return Name + "=" + FilterEscaping.GraphArguments(arguments);
    }
}
