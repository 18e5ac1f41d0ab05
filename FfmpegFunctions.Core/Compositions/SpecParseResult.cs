using System.Diagnostics.CodeAnalysis;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>The spec when it is valid; otherwise every problem found, and no spec.</summary>
public sealed record SpecParseResult(CompositionSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    [MemberNotNullWhen(true, nameof(Spec))]
    public bool IsValid => Spec is not null && Errors.Count == 0;
}
