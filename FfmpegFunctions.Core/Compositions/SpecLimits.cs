namespace FfmpegFunctions.Core.Compositions;

/// <summary>Every numeric bound of spec v1 in one place; docs/composition-spec.md and the schema mirror these.</summary>
public static class SpecLimits
{
    public const int MaxJsonDepth = 16;

    public const int MinDimension = 16;
    /// <summary>Orientation-free 4K: the long side up to 3840, the short side up to 2160.</summary>
    public const int MaxLongSide = 3840;
    public const int MaxShortSide = 2160;
    public const double MinFps = 1;
    public const double MaxFps = 60;
    public const int MaxCrfMp4 = 51;
    public const int MaxCrfWebm = 63;
    public const int MinAudioBitrate = 32;
    public const int MaxAudioBitrate = 512;

    public const int MinClips = 1;
    public const int MaxClips = 200;
    public const int MaxSourceKeyBytes = 1024;
    public const double MaxVolume = 2;
    public const double MaxTransitionSeconds = 5;
    public const double MaxTimelineSeconds = 3 * 60 * 60;

    public const double MaxFadeSeconds = 60;
    public const double MaxClipAudio = 2;

    public const int MaxOverlays = 50;
    public const int MinImageWidth = 2;
    public const int MaxImageWidth = 3840;
    public const int MaxTextElements = 500;
    public const int MinFontSize = 4;
    public const int MaxFontSize = 400;
    public const int MaxOffset = 3840;
    public const int MaxMargin = 1000;

    public const int MinThumbnailWidth = 16;
    public const int MaxThumbnailWidth = 3840;

    public const int MaxTitleElements = 200;

    public const int MaxCallbackUrlLength = 2048;

    // Spec v2.
    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4;
    public const double MaxZoom = 5;
    public const int MaxLayers = 10;
    public const int MinCaptionFontSize = 8;
    public const int MaxCaptionFontSize = 200;
    public const int MaxCaptionOutline = 20;
    public const int MaxCaptionCues = 10_000;
    public const int MaxCaptionFileBytes = 2 * 1024 * 1024;
    public const int MaxCaptionCueCharacters = 1_000;
    public const int MaxAudioTracks = 20;
    public const double MaxDuckingDepth = 40;
    public const double MaxDuckingRamp = 5;
    public const double MinLoudnessTarget = -40;
    public const double MaxLoudnessTarget = -5;
    public const double MinTruePeak = -9;
    public const double MaxTruePeak = 0;

    /// <summary>Slack for comparing sums of client-supplied seconds (float rounding, not frames).</summary>
    public const double TimeEpsilon = 0.001;
}
