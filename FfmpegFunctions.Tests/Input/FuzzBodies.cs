using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace FfmpegFunctions.Tests.Input;

/// <summary>The request bodies the fuzz tests send, one per route that reads JSON.</summary>
public enum FuzzTarget { CreateComposition, CreateTemplate, UpdateTemplate, RenderTemplate, CreateUploads }

/// <summary>One edit of a valid body: what to do (<paramref name="Op"/>), where (a node in document order), with which bad value.</summary>
public sealed record FuzzEdit(int Op, int Node, int Variant, int Position);

/// <summary>A generated request: a valid body with edits, or (<paramref name="Whole"/> above 0) a whole-body replacement.</summary>
public sealed record FuzzCase(FuzzTarget Target, IReadOnlyList<FuzzEdit> Edits, int Whole);

/// <summary>
/// Valid bodies made wrong in the ways clients (and attackers) make them wrong: NUL, control characters and unpaired
/// surrogates in strings and member names, wrong member types, huge numbers, arrays where objects belong, deep nesting,
/// missing and unknown members, empty, truncated and non-UTF-8 bodies. Everything is derived from small integers, so
/// CsCheck shrinks a failure to its simplest edit.
/// </summary>
public static class FuzzBodies
{
    public const string Source = "inputs/00000000-0000-0000-0000-000000000001/a.mp4";
    private const int OpCount = 7;
    private const int WholeCount = 10;

    private static readonly string[] Bases =
    [
        """{"title":"fuzz","priority":"default","output":{"width":320,"height":180,"fps":25,"preset":"veryfast"},"clips":[{"source":"SRC","trim":{"start":0,"end":1.5},"transition":{"type":"fade","duration":0.5}},{"source":"SRC"}],"overlays":[{"type":"text","text":"Hello","position":"bottom-right","fontSize":20}]}""",
        """{"name":"fuzz","spec":{"title":"{{title}}","clips":[{"source":"SRC","trim":{"start":0,"end":"{{seconds}}"}}],"overlays":[{"type":"text","text":"Hi {{name}}"}]}}""",
        """{"name":"fuzz","spec":{"title":"{{title}}","clips":[{"source":"SRC","trim":{"start":0,"end":"{{seconds}}"}}],"overlays":[{"type":"text","text":"Hi {{name}}"}]}}""",
        """{"values":{"title":"t","seconds":1,"name":"n"},"version":1}""",
        """{"files":[{"fileName":"clip.mp4","contentType":"video/mp4","size":1000},{"fileName":"subs.srt","contentType":"text/plain; charset=utf-8"}]}""",
    ];

    /// <summary>Inserted into strings; a leading '\' marks raw JSON escapes (unpaired surrogates cannot live in a .NET string that serialises).</summary>
    private static readonly string[] BadText =
        ["\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\t", "\u0085", @"\ud800", @"\udfff", "\ud83d\ude00", "\uffff", @"\u0000\ud800"];

    private static readonly string[] Numbers =
        ["1e20", "-1e20", "1e400", "-0", "0.5", "2147483648", "-1", "0", "1E+308", "123456789012345678901234567890"];

    private static readonly string[] WrongTypes = ["true", "null", "\"text\"", "[]", "{}", "[1,2]", """{"a":1}""", "\"\""];

    public static Gen<FuzzCase> Cases { get; } =
        Gen.Select(
            Gen.Int[0, Bases.Length - 1],
            Gen.Select(Gen.Int[0, OpCount - 1], Gen.Int[0, 63], Gen.Int[0, 15], Gen.Int[0, 63], (op, node, variant, position) => new FuzzEdit(op, node, variant, position)).List[1, 3],
            Gen.Frequency((6, (IGen<int>)Gen.Const(0)), (1, Gen.Int[1, WholeCount])),
            (target, edits, whole) => new FuzzCase((FuzzTarget)target, edits, whole));

    public static byte[] Valid(FuzzTarget target) => Encoding.UTF8.GetBytes(Base(target));

    private static string Base(FuzzTarget target) => Bases[(int)target].Replace("SRC", Source, StringComparison.Ordinal);

    public static byte[] Body(FuzzCase fuzz)
    {
        var text = Base(fuzz.Target);
        if (fuzz.Whole > 0) return Whole(fuzz.Whole, text, fuzz.Edits[0]);
        JsonNode? root = JsonNode.Parse(text);
        var raw = new List<string>();
        foreach (var edit in fuzz.Edits) root = Apply(root, edit, raw);
        var json = root?.ToJsonString() ?? "null";
        // Later raw pieces may hold earlier markers (a wrapped edit), so they go in first.
        for (var i = raw.Count - 1; i >= 0; i--) json = json.Replace($"\"{Marker(i)}\"", raw[i], StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(json);
    }

    /// <summary>The body as readable text for a failure message: control characters escaped, invalid UTF-8 as U+FFFD.</summary>
    public static string Print(FuzzCase fuzz)
    {
        var text = new StringBuilder();
        foreach (var c in Encoding.UTF8.GetString(Body(fuzz)))
            text.Append(char.IsControl(c) ? $"<U+{(int)c:X4}>" : c.ToString());
        return $"{fuzz.Target} {text} (from {string.Join(", ", fuzz.Edits)}, whole {fuzz.Whole})";
    }

    private static byte[] Whole(int kind, string text, FuzzEdit edit)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var at = edit.Position * 7 % utf8.Length;
        return kind switch
        {
            1 => [],
            2 => "null"u8.ToArray(),
            3 => "[]"u8.ToArray(),
            4 => "1e20"u8.ToArray(),
            5 => "\"text\""u8.ToArray(),
            6 => utf8[..at],
            // Not UTF-8: a lone byte, an encoded surrogate, an overlong NUL.
            7 => [.. utf8[..at], .. new[] { new byte[] { 0xff }, [0xed, 0xa0, 0x80], [0xc0, 0x80] }[edit.Variant % 3], .. utf8[at..]],
            8 => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
            9 => "{}"u8.ToArray(),
            _ => [0xef, 0xbb, 0xbf, .. utf8], // a byte order mark
        };
    }

    private static JsonNode? Apply(JsonNode? root, FuzzEdit edit, List<string> raw)
    {
        var nodes = new List<(JsonNode? Node, JsonNode? Parent, string? Name, int Index)>();
        Collect(root, null, null, -1, nodes);
        var (node, parent, name, index) = nodes[edit.Node % nodes.Count];
        JsonNode? replacement;
        switch (edit.Op)
        {
            case 0:
                var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "xy";
                replacement = WithBadText(text, edit.Position % (text.Length + 1), BadText[edit.Variant % BadText.Length], raw);
                break;
            case 1:
                replacement = Raw(raw, Numbers[edit.Variant % Numbers.Length]);
                break;
            case 2:
                replacement = Raw(raw, WrongTypes[edit.Variant % WrongTypes.Length]);
                break;
            case 3:
                replacement = Raw(raw, "[" + (node?.ToJsonString() ?? "null") + "]");
                break;
            case 4:
                var depth = 16 + edit.Variant * 12;
                replacement = Raw(raw, (edit.Position % 2 == 0
                    ? new StringBuilder().Insert(0, "[", depth).Append(1).Append(']', depth)
                    : new StringBuilder().Insert(0, "{\"a\":", depth).Append(1).Append('}', depth)).ToString());
                break;
            case 5:
                if ((node as JsonObject ?? parent as JsonObject) is { } target)
                {
                    var member = (edit.Variant % 6) switch
                    {
                        0 => "a\u0000b",
                        1 => Marker(raw.Count),
                        2 => "\u001b",
                        3 => "",
                        4 => "unknownMember",
                        _ => "title",
                    };
                    if (member == Marker(raw.Count)) raw.Add("\"\\ud800\"");
                    target[member] = "x";
                }
                return root;
            default:
                if (parent is JsonObject from && name is not null) from.Remove(name);
                else if (parent is JsonArray items && index >= 0) items.RemoveAt(index);
                return root;
        }
        if (parent is null) return replacement;
        if (parent is JsonObject obj) obj[name!] = replacement;
        else ((JsonArray)parent)[index] = replacement;
        return root;
    }

    private static JsonNode WithBadText(string text, int at, string bad, List<string> raw)
    {
        if (!bad.StartsWith('\\')) return JsonValue.Create(text.Insert(at, bad));
        // Escape the halves as JSON and put the raw escape between them.
        return Raw(raw, JsonSerializer.Serialize(text[..at])[..^1] + bad + JsonSerializer.Serialize(text[at..])[1..]);
    }

    private static JsonNode Raw(List<string> raw, string json)
    {
        raw.Add(json);
        return JsonValue.Create(Marker(raw.Count - 1));
    }

    private static string Marker(int i) => "@@RAW" + i.ToString(CultureInfo.InvariantCulture) + "@@";

    private static void Collect(JsonNode? node, JsonNode? parent, string? name, int index, List<(JsonNode?, JsonNode?, string?, int)> nodes)
    {
        nodes.Add((node, parent, name, index));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList()) Collect(child, obj, key, -1, nodes);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Collect(array[i], array, null, i, nodes);
                break;
        }
    }
}
