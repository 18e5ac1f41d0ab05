namespace FfmpegFunctions.Core.Database;

/// <summary>No Microsoft Entra token could be had for PostgreSQL; the message says so in words an operator can act on.</summary>
public sealed class EntraTokenException(string message, Exception inner) : Exception(message, inner);
