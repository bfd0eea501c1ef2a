using Pipeline.Tests.Support;
using Pipeline.Verifying;

namespace Pipeline.Tests.Verifying;

/// <summary>The report of a verification: streamed to a temporary file, quoted by the one CSV rule, put in place only by <c>Commit</c>.</summary>
public sealed class VerifyReportTests
{
    [Fact]
    public void Commit_VerdictsWithAwkwardFields_WritesOneQuotedRowEach()
    {
        using var temp = new TempDir();
        var path = temp.Sub("report.csv");

        using (var sut = VerifyReport.Open(path))
        {
            sut.Add(new VerifyResult("a,b.txt", VerifyStatus.Failed, new byte[] { 0xab }, new byte[] { 0xcd }, 3));
            sut.Add(new VerifyResult("c.txt", VerifyStatus.Moved, new byte[] { 0x01 }, new byte[] { 0x01 }, 1, MovedFrom: "old\nname"));
            sut.Add(new VerifyResult("d.txt", VerifyStatus.Missing, new byte[] { 0x02 }, null, 0));
            sut.Commit();
        }

        Assert.Equal(
            VerifyReport.Header + "\n\"a,b.txt\",failed,ab,cd,3,,\nc.txt,moved,01,01,1,\"old\nname\",\nd.txt,missing,02,,0,,\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFileBehind()
    {
        using var temp = new TempDir();

        using (var sut = VerifyReport.Open(temp.Sub("report.csv")))
        {
            sut.Add(new VerifyResult("a.txt", VerifyStatus.Ok, new byte[] { 1 }, new byte[] { 1 }, 1));
        }

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Add_AfterCommit_Throws()
    {
        using var temp = new TempDir();
        using var sut = VerifyReport.Open(temp.Sub("report.csv"));
        sut.Commit();

        Assert.Throws<ObjectDisposedException>(() => sut.Add(new VerifyResult("a.txt", VerifyStatus.Ok, null, null, 0)));
        Assert.Throws<ArgumentException>(() => VerifyReport.Open(" "));
    }
}
