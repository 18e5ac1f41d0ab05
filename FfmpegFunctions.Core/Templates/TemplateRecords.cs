using System.Text.Json;

namespace FfmpegFunctions.Core.Templates;

/// <summary>POST and PUT /api/templates: a name and a composition whose strings may hold {{placeholders}}.</summary>
public sealed record TemplateRequest(string? Name, JsonElement Spec);

/// <summary>POST /api/templates/{id}/render: a value for every placeholder; version absent means the latest.</summary>
public sealed record TemplateRenderRequest(Dictionary<string, JsonElement>? Values, int? Version);

/// <summary>One version of a template as the API returns it.</summary>
/// <param name="LatestVersion">The template's newest version (equal to Version unless an older one was asked for).</param>
/// <param name="UsedAt">When this version first rendered; from then on it never changes.</param>
public sealed record TemplateView(
    Guid Id,
    string Name,
    int Version,
    int LatestVersion,
    JsonElement Spec,
    IReadOnlyList<string> Placeholders,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UsedAt);

/// <summary>A template in a list: its newest version's placeholders, not its spec.</summary>
public sealed record TemplateSummary(
    Guid Id,
    string Name,
    int LatestVersion,
    IReadOnlyList<string> Placeholders,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record TemplatePage(IReadOnlyList<TemplateSummary> Items, string? NextCursor);
