using System.Diagnostics;
using System.Security.Cryptography;
using FfmpegFunctions.Core.DryRuns;
using FfmpegFunctions.Core.Hosting;
using FfmpegFunctions.Core.Progress;
using FfmpegFunctions.Core.Security;
using FfmpegFunctions.Core.Sources;
using FfmpegFunctions.Core.Storage;
using FfmpegFunctions.Core.Webhooks;
using FfmpegFunctions.Core.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Compositions;

/// <summary>
/// The compositions HTTP API. Handlers are public static methods so the Functions host's HTTP
/// triggers return exactly the same results as the Server's endpoints. Every handler is scoped to the
/// caller's tenant (<see cref="Tenants.Of"/>): another tenant's composition answers 404 like an unknown id.
/// </summary>
public static class CompositionsApi
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxIdempotencyKeyLength = 200;

    public static RouteGroupBuilder MapCompositionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/compositions").WithTags("Compositions");
        group.MapPost("/", CreateAsync)
            .WithSummary("Create a composition and queue its render")
            .WithDescription("With ?dryRun=true nothing is stored: the sources are checked and probed, the render is planned, "
                + "and the answer (200) gives the output's duration, frames and size, the passes or segments it would run, "
                + "and an estimated output size and render time from this deployment's recent renders.")
            .AcceptsJson<CompositionSpec>();
        group.MapGet("/", ListAsync).WithSummary("List compositions, newest first (keyset paging)");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Status, progress and output of a composition");
        group.MapGet("/{id:guid}/steps", StepsAsync).WithSummary("The render's workflow steps with their times");
        group.MapGet("/{id:guid}/download", DownloadAsync).WithSummary("Presigned URLs of the output and thumbnail");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithSummary("Stop a queued or running render");
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a composition's outputs and mark it deleted");
        return group;
    }

    public static async Task<Results<Accepted<CompositionCreated>, Ok<DryRunEstimate>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, CompositionStore store, IRenderScheduler scheduler, WebhookTargetGuard callbacks, SourceCheck sources, DryRunner dryRuns,
        CancellationToken cancellationToken)
    {
        if (IdempotencyKeyProblem(request) is { } badKey) return badKey;
        if (DryRunQuery.Read(request) is not { } dryRun)
            return Validation("dryRun", "dryRun must be true or false.");

        using var body = await JsonBody.ReadAsync(request, MaxBodyBytes, "A composition", required: true, SpecLimits.MaxJsonDepth, cancellationToken);
        if (body.Problem is { } unreadable) return unreadable;

        var parsed = SpecParser.Parse(body.Document!.RootElement);
        if (!parsed.IsValid) return Invalid(parsed.Errors, "The composition is invalid.");
        if (dryRun)
        {
            return await DryRunAsync(request.HttpContext, parsed.Spec, callbacks, sources, dryRuns, cancellationToken);
        }
        return await SubmitAsync(request.HttpContext, parsed.Spec, SHA256.HashData(body.Bytes), store, scheduler, callbacks, sources, cancellationToken);
    }

    /// <summary>The dry run of a valid spec (a plain create's or a template render's): the checks of a real submit, then
    /// probe and plan, nothing stored.</summary>
    public static async Task<Results<Accepted<CompositionCreated>, Ok<DryRunEstimate>, ValidationProblem, ProblemHttpResult>> DryRunAsync(
        HttpContext http, CompositionSpec spec, WebhookTargetGuard callbacks, SourceCheck sources, DryRunner dryRuns, CancellationToken cancellationToken)
    {
        switch (await CheckSubmittableAsync(http, spec, callbacks, sources, cancellationToken))
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }
        var outcome = await dryRuns.RunAsync(Tenants.Of(http), spec, cancellationToken);
        return outcome.Estimate is { } estimate ? TypedResults.Ok(estimate) : Invalid(outcome.Errors, "The composition cannot be rendered.");
    }

    /// <summary>
    /// What a valid spec must also satisfy before it is stored or dry-run: sources the tenant may read and that exist (URLs:
    /// their scheme and address), and a usable callback. Null when it does; else a <see cref="ValidationProblem"/>, or a 503
    /// <see cref="ProblemHttpResult"/> when storage did not answer in time.
    /// </summary>
    private static async Task<IResult?> CheckSubmittableAsync(
        HttpContext http, CompositionSpec spec, WebhookTargetGuard callbacks, SourceCheck sources, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(http);
        if (SourceOwnership.Check(spec, tenant) is { Count: > 0 } foreign)
            return TypedResults.ValidationProblem(foreign, title: "The composition is invalid.",
                detail: "A source must be one of your tenant's uploads, a sample or an https:// URL.");

        // Before anything is stored: a missing upload or a refused URL is the client's 400 now, not a failed render later.
        Dictionary<string, string[]> missing;
        try
        {
            missing = await sources.CheckAsync(spec, tenant, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The sources could not be checked.",
                detail: ex.Message + " Try again shortly.");
        }
        if (missing.Count > 0)
            return TypedResults.ValidationProblem(missing, title: "The composition is invalid.",
                detail: "Each key of 'errors' is a JSON pointer to a source that cannot be used.");

        if (spec.CallbackUrl is { } callbackUrl && await callbacks.CheckAsync(callbackUrl, cancellationToken) is { } refused)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["/callbackUrl"] = [refused] },
                title: "The composition is invalid.", detail: "The callbackUrl cannot be used as a webhook target.");
        return null;
    }

    /// <summary>Rejects an Idempotency-Key header that is too long or not visible ASCII; null when it is fine (or absent).</summary>
    public static ValidationProblem? IdempotencyKeyProblem(HttpRequest request)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        return key.Length > MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7e)
            ? Validation("Idempotency-Key", $"The Idempotency-Key header must be at most {MaxIdempotencyKeyLength} visible ASCII characters.")
            : null;
    }

    /// <summary>Per-pointer validation errors as one problem.</summary>
    public static ValidationProblem Invalid(IEnumerable<SpecError> errors, string title) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Pointer).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: title, detail: "Each key of 'errors' is a JSON pointer to the field at fault.");

    /// <summary>
    /// Stores a valid spec with its job and schedules it: the common end of a plain create and a template render.
    /// <paramref name="requestHash"/> identifies the request for Idempotency-Key replays (same key, same hash: same answer).
    /// Typed as every create's answer (it never returns the dry run's Ok), so both creates return it as it is.
    /// </summary>
    public static async Task<Results<Accepted<CompositionCreated>, Ok<DryRunEstimate>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http, CompositionSpec spec, byte[] requestHash, CompositionStore store, IRenderScheduler scheduler, WebhookTargetGuard callbacks,
        SourceCheck sources, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var tenant = Tenants.Of(http);
        switch (await CheckSubmittableAsync(http, spec, callbacks, sources, cancellationToken))
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }

        var origin = new JobOrigin(
            RequestId: http.TraceIdentifier,
            TraceParent: Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null);
        var created = await store.CreateAsync(Guid.CreateVersion7(), spec, key.Length == 0 ? null : key, requestHash, origin, tenant, cancellationToken);
        switch (created.Outcome)
        {
            case CreateOutcome.KeyReusedWithDifferentBody:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The Idempotency-Key was used with a different body.",
                    detail: $"The key '{key}' already created composition {created.Id}; send a new key for a different composition.");
            case CreateOutcome.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                break;
            default:
                await scheduler.ScheduleAsync(created.Id, cancellationToken);
                break;
        }
        return TypedResults.Accepted($"/api/compositions/{created.Id}", new CompositionCreated(created.Id, created.Status));
    }

    public static async Task<Results<Ok<CompositionView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context, CompositionStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, Tenants.Of(context), includeSpec: true, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id);

    public static async Task<Results<Ok<CompositionPage>, ValidationProblem>> ListAsync(
        HttpContext context, CompositionStore store, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (status is not null && !CompositionStatus.All.Contains(status))
            return Validation("status", $"Unknown status '{status}'; use one of: {string.Join(", ", CompositionStatus.All)}.");
        if (limit is < 1 or > 100)
            return Validation("limit", "The limit must be between 1 and 100.");
        try
        {
            return TypedResults.Ok(await store.ListAsync(status, limit ?? 20, cursor, Tenants.Of(context), cancellationToken));
        }
        catch (FormatException ex)
        {
            return Validation("cursor", ex.Message);
        }
    }

    public static async Task<Results<Ok<IReadOnlyList<StepView>>, ProblemHttpResult>> StepsAsync(Guid id, HttpContext context, CompositionStore store, CancellationToken cancellationToken) =>
        await store.GetStepsAsync(id, Tenants.Of(context), cancellationToken) is { } steps ? TypedResults.Ok(steps) : NotFound(id);

    public static async Task<Results<Ok<DownloadLinks>, ProblemHttpResult>> DownloadAsync(
        Guid id, HttpContext context, CompositionStore store, IObjectStore objects, IOptions<S3Options> s3, TimeProvider clock, CancellationToken cancellationToken)
    {
        var keys = await store.GetOutputKeysAsync(id, Tenants.Of(context), cancellationToken);
        if (keys is null || keys.Value.Status == CompositionStatus.Deleted) return NotFound(id);
        if (keys.Value.Status == CompositionStatus.Expired)
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "The composition's output has expired.",
                detail: "Outputs are deleted after the retention period (Storage:OutputRetention); create the composition again to render it anew.");
        if (keys.Value.Status != CompositionStatus.Completed || keys.Value.OutputKey is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The composition has no output yet.",
                detail: $"The composition is {keys.Value.Status}; a download exists once it is completed.");
        var expiry = s3.Value.PresignExpiry;
        var fileName = $"composition-{id:N}{Path.GetExtension(keys.Value.OutputKey)}";
        return TypedResults.Ok(new DownloadLinks(
            objects.PresignGet(keys.Value.OutputKey, expiry, fileName),
            keys.Value.ThumbnailKey is null ? null : objects.PresignGet(keys.Value.ThumbnailKey, expiry),
            clock.GetUtcNow().Add(expiry)));
    }

    public static async Task<Results<Accepted<CompositionCreated>, ProblemHttpResult>> CancelAsync(
        Guid id, HttpContext context, CompositionStore store, IRenderScheduler scheduler, ICompositionEventSink events, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Cancelling twice is not an error: the second call finds it cancelled and answers the same.
        var status = await store.CancelAsync(id, Tenants.Of(context), cancellationToken);
        if (status is null or CompositionStatus.Deleted) return NotFound(id);
        if (status != CompositionStatus.Cancelled)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The composition cannot be cancelled.",
                detail: $"The composition is already {status}.");
        await scheduler.CancelAsync(id, "cancelled by the client", cancellationToken);
        await events.PublishAsync(new StatusEvent(id, CompositionStatus.Cancelled, clock.GetUtcNow()), cancellationToken);
        return TypedResults.Accepted($"/api/compositions/{id}", new CompositionCreated(id, CompositionStatus.Cancelled));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext context, CompositionStore store, IObjectStore objects, IRenderScheduler scheduler, ICompositionEventSink events, TimeProvider clock, CancellationToken cancellationToken)
    {
        var status = await store.MarkDeletedAsync(id, Tenants.Of(context), cancellationToken);
        if (status is null) return NotFound(id);
        await scheduler.CancelAsync(id, "deleted by the client", cancellationToken);
        await objects.DeletePrefixAsync(StorageKeys.OutputPrefix(id), cancellationToken);
        await events.PublishAsync(new StatusEvent(id, CompositionStatus.Deleted, clock.GetUtcNow()), cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such composition.", detail: $"There is no composition {id}.");

    private static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid.");
}

/// <summary>Presigned links to a finished composition.</summary>
public sealed record DownloadLinks(Uri Url, Uri? ThumbnailUrl, DateTimeOffset ExpiresAt);
