using FfmpegFunctions.Core.Rendering;
using FfmpegFunctions.Core.Rendering.Planning;

namespace FfmpegFunctions.Core.Workflow.Steps;

internal static class Plans
{
    /// <summary>A plan the planner refuses is a spec the probed media cannot satisfy: retrying cannot fix it.</summary>
    public static RenderPlan OrPermanent(Func<RenderPlan> plan)
    {
        try
        {
            return plan();
        }
        catch (RenderPlanException ex)
        {
            throw new PermanentStepException(ex.Pointer.Length > 0 ? $"{ex.Pointer}: {ex.Detail}" : ex.Detail, ex);
        }
    }

    /// <summary>Whether any pass of the plan names the file. A pass whose arguments are only resolved when it runs
    /// might read anything, so it counts as reading everything.</summary>
    public static bool Reads(RenderPlan plan, string localPath)
    {
        return plan.Passes.Any(Names);

        bool Names(RenderPass pass) =>
            pass.Resolve is not null
            || pass.Arguments.Any(a => a.Contains(localPath, StringComparison.Ordinal))
            || pass.Feed.Any(Names) || pass.Alongside.Any(Names);
    }
}
