using System.Text.Json;

namespace LeadScoring.Core.Tests.Support;

/// <summary>Small readers for the reference JSON.</summary>
internal static class Json
{
    public static double[] Doubles(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];

    public static long[] Longs(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt64())];

    public static string[] Strings(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetString()!)];

    public static bool[] Labels(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt32() == 1)];

    public static double Number(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static IEnumerable<object[]> CaseNames(string fileName) =>
        SharedData.StatsReference(fileName).EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string fileName, string name) =>
        SharedData.StatsReference(fileName).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
