using System.Text;

namespace FfmpegFunctions.Core.Rendering;

/// <summary>The last lines a process wrote, bounded by line count and characters so a chatty ffmpeg cannot grow memory.</summary>
internal sealed class StderrTail(int maxLines = 64, int maxChars = 8192)
{
    private readonly Lock gate = new();
    private readonly Queue<string> lines = new();
    private int chars;

    public void Add(string line)
    {
        if (line.Length > maxChars) line = line[^maxChars..];
        lock (gate)
        {
            lines.Enqueue(line);
            chars += line.Length;
            while (lines.Count > maxLines || chars > maxChars)
            {
                chars -= lines.Dequeue().Length;
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            var text = new StringBuilder(chars + lines.Count);
            foreach (var line in lines) text.Append(line).Append('\n');
            return text.ToString();
        }
    }
}
