using Pipeline.Running;
using Pipeline.Running.Engine;
using Pipeline.Sources;

namespace Pipeline.Tests.Running.Engine;

/// <summary>The progress a run reports while a count of its files runs ahead of the work: the total early, the walk's figures when they are further.</summary>
public sealed class RunCountersTests
{
    [Fact]
    public void Snapshot_CountAheadEnded_GivesTheTotalBeforeTheWalkGetsThere()
    {
        var sut = new RunCounters();
        using var walk = sut.Found(Files(5)).GetEnumerator();
        Assert.True(walk.MoveNext()); // the work has taken one file

        sut.CountAhead(Files(5), CancellationToken.None);
        var progress = sut.Snapshot(TimeSpan.FromSeconds(1), null);

        Assert.Equal((5L, 5L * 100, true), (progress.FilesFound, progress.BytesFound, progress.WalkCompleted));
    }

    [Fact]
    public void Snapshot_CountAheadStillGoing_GivesItsFiguresWithoutATotal()
    {
        var sut = new RunCounters();
        using var walk = sut.Found(Files(5)).GetEnumerator();
        Assert.True(walk.MoveNext());
        using var cancel = new CancellationTokenSource();

        // A count that stops after three files, as one cancelled mid-way.
        Assert.Throws<OperationCanceledException>(() => sut.CountAhead(Files(3).Concat(Cancelling(cancel)), cancel.Token));
        var progress = sut.Snapshot(TimeSpan.FromSeconds(1), null);

        Assert.Equal((3L, false), (progress.FilesFound, progress.WalkCompleted));
    }

    [Fact]
    public void Snapshot_WalkFindsMoreThanTheCount_GivesTheWalksFiguresAndNoTotalUntilItEnds()
    {
        var sut = new RunCounters();
        sut.CountAhead(Files(2), CancellationToken.None); // two files when counted; four by the time the walk comes
        using var walk = sut.Found(Files(4)).GetEnumerator();
        Assert.True(walk.MoveNext());
        Assert.True(walk.MoveNext());
        Assert.True(walk.MoveNext());

        var progress = sut.Snapshot(TimeSpan.FromSeconds(1), null);

        Assert.Equal((3L, false), (progress.FilesFound, progress.WalkCompleted));
    }

    private static IEnumerable<SourceFile> Files(int count) =>
        Enumerable.Range(0, count).Select(i => new SourceFile($"f{i}", $"/in/f{i}", 100, DateTime.UnixEpoch));

    private static IEnumerable<SourceFile> Cancelling(CancellationTokenSource cancel)
    {
        cancel.Cancel();
        yield return new SourceFile("late", "/in/late", 100, DateTime.UnixEpoch);
    }
}
