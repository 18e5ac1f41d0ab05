using FfmpegFunctions.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// The Server's key management, through the same <see cref="ApiKeysAdminApi"/> handlers: a tenant admin's /api/keys, and
/// /api/admin/api-keys with the internal key (Auth:InternalKeyHash), which is how an operator mints the first admin key
/// of a tenant on a Functions-only deployment. Which caller may use which route is the API guard's (by path).
/// </summary>
public sealed class KeysFunctions(ApiKeyStore store, ApiKeyValidator validator)
{
    [Function("CreateKey")]
    public async Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "keys")] HttpRequest request, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.CreateAsync(request, store, cancellationToken));

    [Function("ListKeys")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "keys")] HttpRequest request, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.ListAsync(request.HttpContext, store, cancellationToken));

    [Function("RevokeKey")]
    public async Task<IActionResult> RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "keys/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.RevokeAsync(name, request.HttpContext, store, validator, cancellationToken));

    [Function("AdminCreateKey")]
    public async Task<IActionResult> AdminCreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/api-keys")] HttpRequest request, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.CreateAsync(request, store, cancellationToken));

    [Function("AdminListKeys")]
    public async Task<IActionResult> AdminListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/api-keys")] HttpRequest request, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.ListAsync(request.HttpContext, store, cancellationToken));

    [Function("AdminRevokeKey")]
    public async Task<IActionResult> AdminRevokeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/api-keys/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        new HttpResultAction(await ApiKeysAdminApi.RevokeAsync(name, request.HttpContext, store, validator, cancellationToken));
}
