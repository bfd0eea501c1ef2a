#:property PublishAot=false
// The single-stream reference of the throughput suite: the whole file as one gzip stream by the runtime's GZipStream
// at level 6, which is what `pipeline run gzip` writes for a file that fits one chunk (and wrote for every file before
// large files were compressed in chunks). Usage: dotnet run single_stream_gzip.cs -- <input> <output.gz>
using System.IO.Compression;

using var input = File.OpenRead(args[0]);
using var output = File.Create(args[1]);
using var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = 6 });
input.CopyTo(gzip, 1 << 20);
