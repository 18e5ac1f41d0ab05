using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Core.Security;

/// <summary>Tenant names and roles as they appear in keys, tokens and settings.</summary>
public static class Tenants
{
    /// <summary>The tenant of rows and keys from before tenants, and of the bootstrap key unless configured.</summary>
    public const string Default = "default";

    /// <summary>1-40 of [a-z0-9-], not a GUID (GUID-named folders under inputs/ are the default tenant's uploads) and not "samples".</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 40 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && !Guid.TryParse(name, out _) && name != "samples";

    public static bool TryParseRole(string? value, out Role role)
    {
        role = Role.Viewer;
        switch (value?.ToLowerInvariant())
        {
            case "viewer": role = Role.Viewer; return true;
            case "editor": role = Role.Editor; return true;
            case "admin": role = Role.Admin; return true;
            default: return false;
        }
    }

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>The tenant of the caller the guard admitted (with authentication off, the one it is configured to act as).</summary>
    /// <exception cref="MissingCallerException">No caller was admitted: refused, never read as the default tenant.</exception>
    public static string Of(HttpContext context) => ApiKeyIdentity.Of(context).Tenant;
}
