namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Code that needs the caller's tenant found none: the request (or hub connection) did not pass the guard.
/// It is answered as 401, never served as the default tenant.
/// </summary>
public sealed class MissingCallerException()
    : Exception("No authenticated caller: the request carries no identity and no tenant.");
