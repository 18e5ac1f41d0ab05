using Npgsql;

namespace FfmpegFunctions.Core.Workflow.Hosting;

/// <summary>
/// The condition under which a step's writes still count, supplied by the engine running it: an SQL predicate and
/// its parameters, ANDed into every guarded write. The Server's engine passes its claim (lease owner and attempt:
/// a worker that lost its lease writes nothing); on Durable Functions the orchestration owns its instance, so
/// writes are always held. Core knows nothing of leases.
/// </summary>
public sealed class ClaimGuard(string predicate, IReadOnlyList<(string Name, object Value)> parameters)
{
    /// <summary>Always held: Durable Task decides which activity result counts.</summary>
    public static readonly ClaimGuard Always = new("true", []);

    /// <summary>A boolean SQL expression; its parameters are named to stay clear of the statement's own.</summary>
    public string Predicate { get; } = predicate;

    public bool IsAlways => ReferenceEquals(this, Always);

    public void AddParameters(NpgsqlCommand command)
    {
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
    }
}
