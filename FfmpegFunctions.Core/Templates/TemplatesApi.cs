using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Core.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FfmpegFunctions.Core.Templates;

/// <summary>
/// Stored composition templates with <c>{{placeholders}}</c>, rendered with values, scoped to the caller's tenant
/// (another tenant's template answers 404 like an unknown one). Public static handlers so the Functions host
/// answers exactly as the Server does.
/// </summary>
public static class TemplatesApi
{
    public const int MaxNameLength = 200;

    public static RouteGroupBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/templates").WithTags("Templates");
        group.MapPost("/", CreateAsync).WithSummary("Store a composition template with {{placeholders}}").AcceptsJson<TemplateRequest>();
        group.MapGet("/", ListAsync).WithSummary("Your templates, newest first (keyset paging), with their placeholders");
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a template and its versions (compositions made from it keep their spec)");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("The template's latest version (or ?version=n) and its placeholders");
        group.MapPut("/{id:guid}", UpdateAsync).WithSummary("Change a template: replaces its latest version until that has rendered, then adds a version")
            .AcceptsJson<TemplateRequest>();
        group.MapPost("/{id:guid}/render", RenderAsync).WithSummary("Merge values into the template and queue the composition")
            .WithDescription("With ?dryRun=true the merged composition is checked, probed and planned as a dry run of POST /api/compositions: "
                + "200 with its estimate, nothing stored, and the version is not marked as rendered.")
            .AcceptsJson<TemplateRenderRequest>();
        return group;
    }

    public static async Task<Results<Created<TemplateView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TemplateStore templates, CancellationToken cancellationToken)
    {
        var read = await ReadTemplateAsync(request, requireName: true, cancellationToken);
        if (read.Problem is { } problem) return problem;
        if (read.Invalid is { } invalid) return invalid;
        var view = await templates.CreateAsync(Guid.CreateVersion7(), Tenants.Of(request.HttpContext), read.Name!, read.SpecJson!, cancellationToken);
        return TypedResults.Created($"/api/templates/{view.Id}", view);
    }

    public static async Task<Results<Ok<TemplateView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, HttpRequest request, TemplateStore templates, CancellationToken cancellationToken)
    {
        var read = await ReadTemplateAsync(request, requireName: false, cancellationToken);
        if (read.Problem is { } problem) return problem;
        if (read.Invalid is { } invalid) return invalid;
        return await templates.UpdateAsync(id, Tenants.Of(request.HttpContext), read.Name, read.SpecJson!, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id);
    }

    public static async Task<Results<Ok<TemplateView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext context, TemplateStore templates, int? version, CancellationToken cancellationToken)
    {
        if (version is < 1) return Validation("version", "The version must be 1 or more.");
        return await templates.GetAsync(id, Tenants.Of(context), version, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id, version);
    }

    public static async Task<Results<Ok<TemplatePage>, ValidationProblem>> ListAsync(
        HttpContext context, TemplateStore templates, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100) return Validation("limit", "The limit must be between 1 and 100.");
        try
        {
            return TypedResults.Ok(await templates.ListAsync(Tenants.Of(context), limit ?? 20, cursor, cancellationToken));
        }
        catch (FormatException ex)
        {
            return Validation("cursor", ex.Message);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, HttpContext context, TemplateStore templates, CancellationToken cancellationToken) =>
        await templates.DeleteAsync(id, Tenants.Of(context), cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>
    /// Merges the values (missing ones reported by name under /values), validates the merged spec with the usual
    /// pointers, marks the version used (immutable from now on) and queues the composition as a plain create would.
    /// </summary>
    public static async Task<Results<Accepted<CompositionCreated>, Ok<DryRunEstimate>, ValidationProblem, ProblemHttpResult>> RenderAsync(
        Guid id, HttpRequest request, TemplateStore templates, CompositionStore store, IRenderScheduler scheduler, WebhookTargetGuard callbacks, SourceCheck sources,
        DryRunner dryRuns, CancellationToken cancellationToken)
    {
        if (CompositionsApi.IdempotencyKeyProblem(request) is { } badKey) return badKey;
        if (DryRunQuery.Read(request) is not { } dryRun) return Validation("dryRun", "dryRun must be true or false.");
        // Read as a document first, so every value's text is checked (at /values/name) before anything reads it.
        using var body = await JsonBody.ReadAsync(request, CompositionsApi.MaxBodyBytes, "A render request", required: false, SpecLimits.MaxJsonDepth + 1, cancellationToken);
        if (body.Problem is { } problem) return problem;
        var document = body.Document;
        if (document is not null && JsonText.Check(document.RootElement) is { Count: > 0 } unreadable)
            return CompositionsApi.Invalid(unreadable, "The template's values are not text that can be stored.");
        TemplateRenderRequest? render;
        try
        {
            render = document is null ? new TemplateRenderRequest(null, null) : document.Deserialize<TemplateRenderRequest>(JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            // The serializer's message names .NET types; the pointer and the expected shape say it for a client.
            return Validation(JsonPointer.FromPath(ex.Path), "has the wrong JSON type: the body must be {\"values\": {\"name\": value, ...}, \"version\": n}.");
        }
        if (render?.Version is < 1) return Validation("/version", "The version must be 1 or more.");

        var template = await templates.GetAsync(id, Tenants.Of(request.HttpContext), render?.Version, cancellationToken);
        if (template is null) return NotFound(id, render?.Version);

        var values = render?.Values ?? new Dictionary<string, JsonElement>();
        var merge = TemplateMerger.Merge(template.Spec, values);
        if (merge.Errors.Count > 0) return CompositionsApi.Invalid(merge.Errors, "The template's values are incomplete or wrong.");

        var mergedJson = merge.Merged!.ToJsonString();
        var parsed = SpecParser.Parse(mergedJson);
        if (!parsed.IsValid)
            return CompositionsApi.Invalid(TemplateMerger.WithValuePointers(parsed.Errors, template.Spec),
                $"The composition made from template {id} version {template.Version} is invalid.");

        if (dryRun)
        {
            // A dry run renders nothing, so the version stays editable.
            return await CompositionsApi.DryRunAsync(request.HttpContext, parsed.Spec, callbacks, sources, dryRuns, cancellationToken);
        }

        // Once a version has rendered it never changes, so (template, version, merged spec) names the request exactly.
        await templates.MarkUsedAsync(id, template.Version, cancellationToken);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"template:{id:N}:{template.Version}:{mergedJson}"));
        return await CompositionsApi.SubmitAsync(request.HttpContext, parsed.Spec, hash, store, scheduler, callbacks, sources, cancellationToken);
    }

    private static async Task<TemplateRead> ReadTemplateAsync(HttpRequest request, bool requireName, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, CompositionsApi.MaxBodyBytes, "A template", required: true, SpecLimits.MaxJsonDepth + 1, cancellationToken);
        if (body.Problem is { } problem) return new(Problem: problem);
        using (var document = body.Document!)
        {
            var root = document.RootElement;
            // Every string, placeholders' templates included: with placeholders the spec is only parsed at its first render.
            if (JsonText.Check(root) is { Count: > 0 } unreadable)
                return new(Invalid: CompositionsApi.Invalid(unreadable, "The template is invalid."));
            var errors = new Dictionary<string, string[]>();
            string? name = null;
            if (root.ValueKind != JsonValueKind.Object) return new(Invalid: Validation("", "must be {\"name\": \"...\", \"spec\": {...}}."));
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("name" or "spec")) errors[JsonPointer.Append("", property.Name)] = ["is not a template field (use name and spec)."];
            }
            if (root.TryGetProperty("name", out var nameElement))
            {
                if (nameElement.ValueKind != JsonValueKind.String || nameElement.GetString()!.Trim().Length is 0 or > MaxNameLength)
                    errors["/name"] = [$"must be a non-empty string of at most {MaxNameLength} characters."];
                else name = nameElement.GetString()!.Trim();
            }
            else if (requireName)
            {
                errors["/name"] = ["is required."];
            }
            string? specJson = null;
            if (!root.TryGetProperty("spec", out var spec)) errors["/spec"] = ["is required: the composition with {{placeholders}} in its strings."];
            else if (spec.ValueKind != JsonValueKind.Object) errors["/spec"] = ["must be an object (a composition)."];
            else
            {
                specJson = spec.GetRawText();
                // Without placeholders a template is a plain composition: it must be valid now, not at its first render.
                if (TemplateMerger.Placeholders(spec).Count == 0)
                {
                    foreach (var error in SpecParser.Parse(spec).Errors)
                        errors["/spec" + error.Pointer] = [.. errors.GetValueOrDefault("/spec" + error.Pointer, []), error.Message];
                }
            }
            if (errors.Count > 0)
                return new(Invalid: TypedResults.ValidationProblem(errors, title: "The template is invalid.",
                    detail: "Each key of 'errors' is a JSON pointer to the field at fault."));
            return new(Name: name, SpecJson: specJson);
        }
    }

    private static ProblemHttpResult NotFound(Guid id, int? version = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such template.",
            detail: version is null ? $"There is no template {id}." : $"Template {id} has no version {version}.");

    private static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid.");

    private sealed record TemplateRead(string? Name = null, string? SpecJson = null, ValidationProblem? Invalid = null, ProblemHttpResult? Problem = null);
}
