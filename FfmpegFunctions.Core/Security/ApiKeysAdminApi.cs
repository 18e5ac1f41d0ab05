using System.Text.Json;
using FfmpegFunctions.Core.Compositions;
using FfmpegFunctions.Core.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Key management: under /admin/api-keys with the internal key, for every tenant; under /api/keys with a
/// tenant admin's key or token, for that tenant only (the role is enforced by the path policy in ApiRequestGuard).
/// </summary>
public static class ApiKeysAdminApi
{
    public const int MaxNameLength = 100;

    private const int MaxBodyBytes = 4 * 1024;

    public static RouteGroupBuilder MapApiKeysAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/api-keys").WithTags("Admin").ExcludeFromDescription();
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{name}", RevokeAsync);
        var tenant = app.MapGroup("/api/keys").WithTags("Keys");
        tenant.MapPost("/", CreateAsync).WithSummary("Create an API key of your tenant (admin)");
        tenant.MapGet("/", ListAsync).WithSummary("Your tenant's API keys (admin)");
        tenant.MapDelete("/{name}", RevokeAsync).WithSummary("Revoke one of your tenant's API keys (admin)");
        return group;
    }

    /// <summary>The tenant whose keys the caller manages; null for the internal key (all tenants).</summary>
    private static string? ScopeOf(HttpContext context) =>
        context.Features.Get<ApiKeyIdentity>() is { IsInternal: false } caller ? caller.Tenant : null;

    /// <summary>
    /// Creates a key; the plaintext is in this answer only. Reads the body itself, as the other handlers do, so the
    /// Functions app answers with this very method and a malformed body is reported at its pointer in both hosts.
    /// </summary>
    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ApiKeyStore store, CancellationToken cancellationToken)
    {
        using var body = await JsonBody.ReadAsync(request, MaxBodyBytes, "A key request", required: false, maxDepth: 8, cancellationToken);
        if (body.Problem is { } problem) return problem;
        CreateApiKey? create = null;
        if (body.Document is { } document)
        {
            if (JsonText.Check(document.RootElement) is { Count: > 0 } unreadable) return CompositionsApi.Invalid(unreadable, "The key request is invalid.");
            try
            {
                create = document.Deserialize<CreateApiKey>(JsonSerializerOptions.Web);
            }
            catch (JsonException ex)
            {
                // The serializer's message names .NET types; the pointer and the expected shape say it for a client.
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [JsonPointer.FromPath(ex.Path)] = ["has the wrong JSON type: the body must be {\"name\": \"ci\", \"role\": \"editor\"}."],
                }, title: "The key request is invalid.");
            }
        }
        return await CreateKeyAsync(create ?? new CreateApiKey(null), request.HttpContext, store, cancellationToken);
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        CreateApiKey request, HttpContext context, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        var tenant = scope ?? request.Tenant ?? Tenants.Default;
        if (scope is not null && request.Tenant is { } asked && asked != scope)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tenant"] = ["A tenant admin creates keys of its own tenant only."] });
        if (!Tenants.IsValidName(tenant))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tenant"] = ["A tenant is 1-40 of [a-z0-9-], not a GUID and not 'samples'."] });
        var role = Role.Editor;
        if (request.Role is not null && !Tenants.TryParseRole(request.Role, out role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["A role is viewer, editor or admin."] });
        var name = request.Name ?? "";
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            || name == ApiKeyValidator.BootstrapName)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A key name is 1 to {MaxNameLength} of [A-Za-z0-9._-] and not '{ApiKeyValidator.BootstrapName}'."],
            });
        var key = ApiKeyHash.NewKey();
        var created = await store.CreateAsync(name, ApiKeyHash.Compute(key), tenant, role, cancellationToken);
        if (created is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key name is taken.",
                detail: $"A key named '{name}' exists or existed; names are not reused.");
        return TypedResults.Created($"/admin/api-keys/{name}", new CreatedApiKey(name, key, created.CreatedAt, created.Tenant, created.Role));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(HttpContext context, ApiKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(ScopeOf(context), cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string name, HttpContext context, ApiKeyStore store, ApiKeyValidator validator, CancellationToken cancellationToken)
    {
        // Another tenant's key answers 404 exactly like an unknown one.
        if (!await store.RevokeAsync(name, ScopeOf(context), cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such active key.", detail: $"There is no active key named '{name}'.");
        validator.Forget(name);
        return TypedResults.NoContent();
    }
}

/// <param name="Tenant">The internal key may name any tenant (default: "default"); a tenant admin only its own.</param>
/// <param name="Role">viewer, editor (default) or admin.</param>
public sealed record CreateApiKey(string? Name, string? Tenant = null, string? Role = null);

/// <summary>The new key in plaintext: store it now, it cannot be shown again.</summary>
public sealed record CreatedApiKey(string Name, string Key, DateTimeOffset CreatedAt, string Tenant, string Role);
