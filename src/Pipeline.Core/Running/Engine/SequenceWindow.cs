namespace Pipeline.Running.Engine;

/// <summary>
/// A window over the files' walk sequence: a file may be taken while it is less than <see cref="Size"/> places ahead of
/// a front that moves forward (the results a stream's reader took, the first result still missing), and whoever takes
/// files waits for room otherwise. One waiter at a time: the run's feed.
/// </summary>
internal sealed class SequenceWindow(long size)
{
    private readonly Lock _lock = new();
    private long _front;
    private TaskCompletionSource? _room;
    private long _roomFor;

    /// <summary>How far ahead of the front a file may be taken.</summary>
    public long Size { get; } = size;

    /// <summary>The front moved to <paramref name="front"/>; a waiter whose file is now inside the window goes on.</summary>
    public void MoveTo(long front)
    {
        lock (_lock)
        {
            _front = Math.Max(_front, front); // never back, whatever order two callers got here in
            if (_room is not null && _roomFor - _front < Size)
            {
                _room.TrySetResult();
                _room = null;
            }
        }
    }

    /// <summary>Completes once the file of <paramref name="sequence"/> is less than <see cref="Size"/> places ahead of the front.</summary>
    public Task WaitForRoomAsync(long sequence)
    {
        lock (_lock)
        {
            if (sequence - _front < Size)
            {
                return Task.CompletedTask;
            }

            _roomFor = sequence;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
#pragma warning disable VSTHRD003 // The task is this object's own signal, completed by MoveTo.
            return _room.Task;
#pragma warning restore VSTHRD003
        }
    }
}
