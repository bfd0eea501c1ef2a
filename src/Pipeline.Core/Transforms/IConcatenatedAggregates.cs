namespace Pipeline.Transforms;

/// <summary>
/// Marks a transform whose aggregate outputs, for a list of results, are their content for no results followed by
/// each result's own part, in order (a manifest line per file, a row per bad row). A run then writes them as results
/// come, a batch at a time, instead of holding every result until the end. The built-in transforms are such.
/// </summary>
internal interface IConcatenatedAggregates
{
    /// <summary>Whether this instance's aggregates are such (a transform may write them only with some options).</summary>
    bool Concatenated => true;
}
