using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>Who a request authenticated as: a key (or a JWT subject), its tenant and role. The internal key
/// may do everything, as an admin of the default tenant on /api.</summary>
public sealed record ApiKeyIdentity(string Name, bool IsInternal, string Tenant, Role Role)
{
    public const string AuthenticationType = "ApiKey";
    private const string TenantClaim = "ffmpegfunctions:tenant";
    private const string RoleClaim = "ffmpegfunctions:role";
    private const string InternalClaim = "ffmpegfunctions:internal";

    public static readonly ApiKeyIdentity Internal = new("internal", true, Tenants.Default, Role.Admin);

    /// <summary>With Auth:Enabled=false every request acts as this caller: an explicit setting, the tenant named by
    /// Auth:BootstrapTenant with every right (the host sits behind a gateway that decides who may call).</summary>
    public static ApiKeyIdentity Unauthenticated(string tenant) => new("unauthenticated", true, tenant, Role.Admin);

    /// <summary>Records the caller on the request: as a feature for the request's own handlers, and as its
    /// <see cref="HttpContext.User"/>, the one thing SignalR carries to a hub on every transport (long polling gives
    /// the hub a copy of the first request that keeps only the user, not our features).</summary>
    public void AttachTo(HttpContext context)
    {
        context.Features.Set(this);
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, Name),
                new Claim(TenantClaim, Tenant),
                new Claim(RoleClaim, Tenants.Name(Role)),
                new Claim(InternalClaim, IsInternal ? "true" : "false"),
            ],
            AuthenticationType));
    }

    /// <summary>The caller the guard admitted on this request.</summary>
    /// <exception cref="MissingCallerException">None was: the request is refused, never read as the default tenant.</exception>
    public static ApiKeyIdentity Of(HttpContext context) =>
        context.Features.Get<ApiKeyIdentity>() ?? From(context.User) ?? throw new MissingCallerException();

    /// <summary>The caller recorded by <see cref="AttachTo"/> in a principal (a hub's <c>Context.User</c>); null when there is none.</summary>
    public static ApiKeyIdentity? From(ClaimsPrincipal? user)
    {
        var identity = user?.Identities.FirstOrDefault(i => i.AuthenticationType == AuthenticationType && i.IsAuthenticated);
        if (identity?.FindFirst(ClaimTypes.Name)?.Value is not { Length: > 0 } name
            || identity.FindFirst(TenantClaim)?.Value is not { } tenant || !Tenants.IsValidName(tenant)
            || !Tenants.TryParseRole(identity.FindFirst(RoleClaim)?.Value, out var role))
            return null;
        return new ApiKeyIdentity(name, identity.FindFirst(InternalClaim)?.Value == "true", tenant, role);
    }
}
