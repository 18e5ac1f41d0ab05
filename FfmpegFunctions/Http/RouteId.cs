using Microsoft.AspNetCore.Http;

namespace FfmpegFunctions.Functions.Http;

/// <summary>
/// Ids in routes are read here, not by a route constraint such as {id:guid}: with a constraint the Functions host
/// answers a malformed id itself, with an empty 404. This answers as the Server does (its 404 problem+json).
/// </summary>
internal static class RouteId
{
    public static bool TryParse(string id, out Guid value) => Guid.TryParse(id, out value);

    /// <summary>What the Server answers for a path no route matches, e.g. /api/compositions/not-a-guid.</summary>
    public static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound);

    /// <summary>The handler's answer for a well-formed id, the Server's 404 otherwise.</summary>
    public static async Task<HttpResultAction> AnswerAsync(string id, Func<Guid, Task<IResult>> handle) =>
        new(TryParse(id, out var value) ? await handle(value) : NotFound());
}
