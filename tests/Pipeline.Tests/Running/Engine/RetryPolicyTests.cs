using Pipeline.Running.Engine;

namespace Pipeline.Tests.Running.Engine;

/// <summary>The one retry loop: a transient error is waited out, unless the run is stopping, when the file is cancelled rather than failed.</summary>
public sealed class RetryPolicyTests
{
    private static readonly IOException Locked = new("locked") { HResult = 11 }; // EWOULDBLOCK: another process holds the file's lock

    [Fact]
    public async Task ExecuteAsync_LockedWhileTheRunStops_ThrowsCancelledKeepingTheLockError()
    {
        using var stopping = new CancellationTokenSource();
        var policy = new RetryPolicy(10, TimeSpan.FromMilliseconds(1), TimeProvider.System);

        // The stop comes during the attempt, whose error then would have been retried.
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await policy.ExecuteAsync(
            _ =>
            {
                stopping.Cancel();
                throw Locked;
            },
            0,
            stopping.Token));

        Assert.Same(Locked, error.InnerException);
    }

    [Fact]
    public async Task ExecuteAsync_LockedTwiceThenFree_RetriesAndReturnsTheRetriesSpent()
    {
        var attempts = 0;
        var policy = new RetryPolicy(10, TimeSpan.FromMilliseconds(1), TimeProvider.System);

        var spent = await policy.ExecuteAsync(_ => ++attempts < 3 ? throw Locked : ValueTask.CompletedTask, 0, CancellationToken.None);

        Assert.Equal((3, 2), (attempts, spent));
    }

    [Fact]
    public async Task ExecuteAsync_NotTransientWhileTheRunStops_ThrowsTheErrorItself()
    {
        using var stopping = new CancellationTokenSource();
        var policy = new RetryPolicy(10, TimeSpan.FromMilliseconds(1), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await policy.ExecuteAsync(
            _ =>
            {
                stopping.Cancel();
                throw new InvalidDataException("bad data is bad whether or not the run stops");
            },
            0,
            stopping.Token));
    }
}
