using System.Text.Json;

namespace SecureUpdate.Tests.Trust;

/// <summary>
/// Loads the Wycheproof Ed25519 vectors vendored in <c>Vectors/Wycheproof</c> (with their licence and
/// provenance). A missing or unreadable file is an error, never a skip.
/// </summary>
internal static class WycheproofVectors
{
    /// <summary>Number of cases in the pinned file (README beside it).</summary>
    public const int ExpectedCount = 151;

    private static readonly Lazy<(string Path, int DeclaredCount, IReadOnlyList<WycheproofVector> Vectors)> s_loaded = new(Load);

    public static IReadOnlyList<WycheproofVector> All => s_loaded.Value.Vectors;

    /// <summary>The <c>numberOfTests</c> the file declares about itself.</summary>
    public static int DeclaredCount => s_loaded.Value.DeclaredCount;

    public static string FilePath => s_loaded.Value.Path;

    public static WycheproofVector Get(int tcId) =>
        All.SingleOrDefault(v => v.TcId == tcId) ?? throw new InvalidOperationException($"No Wycheproof vector with tcId {tcId} in {FilePath}.");

    private static (string Path, int DeclaredCount, IReadOnlyList<WycheproofVector> Vectors) Load()
    {
        string path = LocateFile();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement;

        string algorithm = root.GetProperty("algorithm").GetString() ?? string.Empty;
        if (algorithm != "EDDSA")
        {
            throw new InvalidOperationException($"{path} holds '{algorithm}' vectors, not EDDSA.");
        }

        var vectors = new List<WycheproofVector>();
        foreach (JsonElement group in root.GetProperty("testGroups").EnumerateArray())
        {
            JsonElement key = group.GetProperty("publicKey");
            string curve = key.GetProperty("curve").GetString() ?? string.Empty;
            if (curve != "edwards25519")
            {
                throw new InvalidOperationException($"{path} has a test group for curve '{curve}'.");
            }

            byte[] publicKey = Convert.FromHexString(key.GetProperty("pk").GetString() ?? string.Empty);
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                vectors.Add(new WycheproofVector(
                    test.GetProperty("tcId").GetInt32(),
                    publicKey,
                    Convert.FromHexString(test.GetProperty("msg").GetString() ?? string.Empty),
                    Convert.FromHexString(test.GetProperty("sig").GetString() ?? string.Empty),
                    test.GetProperty("result").GetString() ?? string.Empty,
                    test.GetProperty("comment").GetString() ?? string.Empty,
                    test.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? string.Empty).ToArray()));
            }
        }

        return (path, root.GetProperty("numberOfTests").GetInt32(), vectors);
    }

    private static string LocateFile()
    {
        // Vendored in the repository (tests/SecureUpdate.Tests/Vectors/Wycheproof, with its licence
        // and provenance) and copied beside the test assembly by the project file.
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "Wycheproof", "ed25519_test.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Wycheproof Ed25519 vectors are missing: expected {path}, copied from tests/SecureUpdate.Tests/Vectors/Wycheproof at build time. These tests never skip.", path);
        }

        return path;
    }
}
