using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Pipeline.Tests.Hostile;

/// <summary>Reads a CSV file we wrote back with CsvHelper, strictly (a stray quote or a short row throws): header → rows of fields.</summary>
public static class CsvReadBack
{
    public static (string[] Header, List<string[]> Rows) Read(string path, string delimiter = ",")
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, DetectColumnCountChanges = true };
        using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
        using var csv = new CsvReader(reader, configuration);
        Assert.True(csv.Read(), $"{path} is empty");
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([.. Enumerable.Range(0, header.Length).Select(i => csv.GetField(i)!)]);
        }

        return (header, rows);
    }
}
