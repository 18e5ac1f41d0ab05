using System.ComponentModel.DataAnnotations;

namespace FfmpegFunctions.Core.Database;

/// <summary>Bound from ConnectionStrings:Postgres and the Database section.</summary>
public sealed class PostgresOptions
{
    [Required(ErrorMessage = "The setting 'ConnectionStrings:Postgres' is required (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=ffmpegfunctions).")]
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the host starts (Database:MigrateOnStart).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
