namespace FfmpegFunctions.Core.Security;

/// <summary>What a caller may do. Each role includes the ones before it.</summary>
public enum Role
{
    /// <summary>Read, list and download.</summary>
    Viewer = 0,
    /// <summary>Also create, upload, cancel and delete.</summary>
    Editor = 1,
    /// <summary>Also manage the tenant's API keys.</summary>
    Admin = 2,
}
