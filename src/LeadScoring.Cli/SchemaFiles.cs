using LeadScoring.Core.Schema;

namespace LeadScoring.Cli;

/// <summary>Reads schema files, naming the file in any error.</summary>
internal static class SchemaFiles
{
    public static LeadSchema Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: schema file not found", path);
        }

        try
        {
            return SchemaJson.Parse(File.ReadAllText(path));
        }
        catch (SchemaException e)
        {
            throw new SchemaException($"{path}: {e.Message}", e);
        }
    }
}
