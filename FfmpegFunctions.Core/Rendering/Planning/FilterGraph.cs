using System.Text;

namespace FfmpegFunctions.Core.Rendering.Planning;

/// <summary>Collects labelled filter chains and renders the single <c>-filter_complex</c> argument.</summary>
public sealed class FilterGraph
{
    private readonly List<string> _chains = [];

    /// <summary>Adds <c>[in…]filter,filter…[out…]</c>. Labels are ours (never user text), so they need no escaping.</summary>
    public void Chain(IReadOnlyList<string> inputs, IReadOnlyList<Filter> filters, params string[] outputs)
    {
        if (filters.Count == 0) throw new ArgumentException("A chain needs at least one filter.", nameof(filters));
        var chain = new StringBuilder();
        foreach (var input in inputs) chain.Append('[').Append(input).Append(']');
        chain.AppendJoin(',', filters);
        foreach (var output in outputs) chain.Append('[').Append(output).Append(']');
        _chains.Add(chain.ToString());
    }

    public void Chain(string input, IReadOnlyList<Filter> filters, params string[] outputs) =>
        Chain([input], filters, outputs);

    public override string ToString() => string.Join(';', _chains);
}
