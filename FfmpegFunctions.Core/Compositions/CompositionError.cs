using System.Text.RegularExpressions;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// Why a composition failed, as its view shows it: the message, and the JSON pointer of the spec member at fault when
/// one is (e.g. <c>/clips/0/source</c>). Steps write a failure about a member as "{pointer}: {message}", the form both
/// engines carry as plain text, so the pointer is read back from the stored message rather than kept beside it.
/// </summary>
public sealed partial record CompositionError(string Message, string? Pointer)
{
    public static CompositionError? From(string? stored)
    {
        if (stored is null) return null;
        var match = LeadingPointer().Match(stored);
        return new CompositionError(stored, match.Success ? match.Groups[1].Value : null);
    }

    // Pointers into a spec: member names and indexes, no escapes needed ('~' never occurs in a spec's member names).
    [GeneratedRegex(@"^(/[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*): ", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingPointer();
}
