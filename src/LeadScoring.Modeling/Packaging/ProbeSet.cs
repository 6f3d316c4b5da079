using LeadScoring.Core.Features;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;

namespace LeadScoring.Modeling.Packaging;

/// <summary>
/// Synthetic leads for checking a model before it is registered: values drawn from the reference profile's
/// percentiles and categories, plus extremes, missing values and categories the model never saw.
/// </summary>
internal static class ProbeSet
{
    public static List<LeadFeatures> Build(LeadSchema schema, ReferenceProfile profile, FeatureEncoder encoder, int count, int seed)
    {
        var random = new Random(seed);
        var numeric = profile.Numeric.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var categorical = profile.Categorical.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var probes = new List<LeadFeatures>(count);
        for (var k = 0; k < count; k++)
        {
            var lead = new LeadFeatures(schema.Features.Count);
            for (var f = 0; f < schema.Features.Count; f++)
            {
                var spec = schema.Features[f];
                var roll = random.NextDouble();
                switch (spec.Type)
                {
                    case FeatureType.Numeric:
                        var p = numeric.GetValueOrDefault(spec.Name);
                        lead.Numbers[f] = roll < 0.1 || p is null || p.Percentiles.Count == 0
                            ? double.NaN
                            : roll < 0.15 ? p.Max * 10 + 1
                            : roll < 0.2 ? p.Min - Math.Abs(p.Max - p.Min) - 1
                            : p.Percentiles[random.Next(p.Percentiles.Count)];
                        break;
                    case FeatureType.Boolean:
                        lead.Numbers[f] = roll < 0.1 ? double.NaN : random.Next(2);
                        break;
                    default:
                        var categories = categorical.GetValueOrDefault(spec.Name)?.Categories;
                        lead.Categories[f] = roll < 0.1 || categories is null || categories.Count == 0
                            ? null
                            : roll < 0.2 ? "never-seen-category-" + k
                            : categories[random.Next(categories.Count)].Category;
                        break;
                }
            }

            probes.Add(lead);
        }

        return probes;
    }
}
