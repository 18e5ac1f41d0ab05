using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FfmpegFunctions.Core.Security;

/// <summary>Key management under /admin/api-keys (the internal key only, enforced by ApiKeyMiddleware).</summary>
public static class ApiKeysAdminApi
{
    public const int MaxNameLength = 100;

    public static RouteGroupBuilder MapApiKeysAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/api-keys").WithTags("Admin").ExcludeFromDescription();
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{name}", RevokeAsync);
        return group;
    }

    /// <summary>Creates a key; the plaintext is in this answer only.</summary>
    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateApiKey request, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var name = request.Name ?? "";
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            || name == ApiKeyValidator.BootstrapName)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A key name is 1 to {MaxNameLength} of [A-Za-z0-9._-] and not '{ApiKeyValidator.BootstrapName}'."],
            });
        var key = ApiKeyHash.NewKey();
        var created = await store.CreateAsync(name, ApiKeyHash.Compute(key), cancellationToken);
        if (created is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key name is taken.",
                detail: $"A key named '{name}' exists or existed; names are not reused.");
        return TypedResults.Created($"/admin/api-keys/{name}", new CreatedApiKey(name, key, created.CreatedAt));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(ApiKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string name, ApiKeyStore store, ApiKeyValidator validator, CancellationToken cancellationToken)
    {
        if (!await store.RevokeAsync(name, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such active key.", detail: $"There is no active key named '{name}'.");
        validator.Forget(name);
        return TypedResults.NoContent();
    }
}

public sealed record CreateApiKey(string? Name);

/// <summary>The new key in plaintext: store it now, it cannot be shown again.</summary>
public sealed record CreatedApiKey(string Name, string Key, DateTimeOffset CreatedAt);
