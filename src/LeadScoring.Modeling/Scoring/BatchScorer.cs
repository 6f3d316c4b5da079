using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using LeadScoring.Core.Data;
using LeadScoring.Core.Scoring;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Modeling.Scoring;

/// <summary>How a batch scoring run went.</summary>
/// <param name="Rows">Leads scored.</param>
/// <param name="Elapsed">Wall-clock time, reading to writing.</param>
/// <param name="BucketCounts">Leads per score band.</param>
public sealed record BatchResult(long Rows, TimeSpan Elapsed, IReadOnlyDictionary<string, long> BucketCounts)
{
    /// <summary>Leads per second, end to end.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>One chunk of a batch run, scored and written to the output (what a per-chunk hook such as the prediction log sees).</summary>
/// <param name="Table">The leads, in the model's schema.</param>
/// <param name="FirstRow">The 1-based row number of the chunk's first lead in the input file.</param>
/// <param name="Ids">Each lead's id as written to the output (the id column, or the row number when the schema has none).</param>
/// <param name="Scores">Each lead's score.</param>
/// <param name="Bands">Each lead's band.</param>
/// <param name="ScoringTime">How long scoring the chunk took (all cores).</param>
public sealed record ScoredChunk(LeadTable Table, long FirstRow, IReadOnlyList<string?> Ids, double[] Scores, IReadOnlyList<string?> Bands, TimeSpan ScoringTime);

/// <summary>
/// Scores a lead file (CSV or Parquet) into an output file with the lead id (or row number), score and band.
/// Reading, scoring and writing run as a pipeline, so a file of millions of rows streams in bounded memory
/// and keeps every core busy.
/// </summary>
public static class BatchScorer
{
    /// <summary>
    /// Scores <paramref name="input"/> into <paramref name="output"/>. Bad rows stop the run with the row and column
    /// named; a partial output file is removed. <paramref name="onScored"/>, when given, is awaited with each chunk
    /// after it is written to the output, in file order (reading and scoring the next chunks go on meanwhile); what it
    /// did for the chunks before a failure stays done.
    /// </summary>
    public static async Task<BatchResult> ScoreFileAsync(
        ModelPackage package,
        string input,
        string output,
        ScoreBuckets buckets,
        IProgress<long>? progress = null,
        Func<ScoredChunk, CancellationToken, Task>? onScored = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(buckets);
        var stopwatch = Stopwatch.StartNew();
        // Cancelled when any stage fails, so the others stop instead of waiting on a full channel.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellationToken = failed.Token;
        var schema = package.Schema;
        var idColumn = schema.Id ?? "row";
        var counts = buckets.Buckets.ToDictionary(b => b.Name, _ => 0L, StringComparer.Ordinal);
        var read = Channel.CreateBounded<LeadTable>(2);
        var scored = Channel.CreateBounded<(LeadTable Table, double[] Scores, TimeSpan Time)>(2);
        long rows = 0;

        var reader = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var chunk in LeadFile.ReadChunks(input, schema, LabelUse.Ignored))
                    {
                        await read.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    }

                    read.Writer.Complete();
                }
                catch (Exception e)
                {
                    read.Writer.Complete(e);
                }
            },
            cancellationToken);

        var scorer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var chunk in read.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var started = Stopwatch.GetTimestamp();
                        var scores = package.Scorer.Score(chunk);
                        await scored.Writer.WriteAsync((chunk, scores, Stopwatch.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
                    }

                    scored.Writer.Complete();
                }
                catch (Exception e)
                {
                    scored.Writer.Complete(e);
                }
            },
            cancellationToken);

        try
        {
            using (var writer = TableWriter.Create(output, [new(idColumn, ColumnKind.Text), new("score", ColumnKind.Number), new("bucket", ColumnKind.Text)]))
            {
                await foreach (var (table, scores, time) in scored.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var ids = table.Ids ?? Enumerable.Range(0, table.Count).Select(i => (rows + i + 1).ToString(CultureInfo.InvariantCulture)).ToArray();
                    var bands = new string?[table.Count];
                    for (var i = 0; i < scores.Length; i++)
                    {
                        var band = buckets.Of(scores[i]);
                        bands[i] = band;
                        counts[band]++;
                    }

                    writer.Write([ids, scores, bands], table.Count);
                    if (onScored is not null)
                    {
                        await onScored(new ScoredChunk(table, rows + 1, ids, scores, bands, time), cancellationToken).ConfigureAwait(false);
                    }

                    rows += table.Count;
                    progress?.Report(rows);
                }
            }

            await Task.WhenAll(reader, scorer).ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reader, scorer).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);

            // A failed run leaves no half-written output behind.
            File.Delete(output);
            throw;
        }

        return new BatchResult(rows, stopwatch.Elapsed, counts);
    }
}
