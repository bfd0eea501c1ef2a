#!/usr/bin/env python3
"""The peer a Python user would write, the way asyncio tutorials teach it: a task per file with
asyncio.create_task, gathered with asyncio.gather, concurrency bounded by an asyncio.Semaphore, and the CPU
work pushed to a thread with asyncio.to_thread.

    asyncio_peer.py hash IN OUT      OUT/SHA256SUMS, sorted, in sha256sum's format
    asyncio_peer.py gzip IN OUT      OUT/<path>.gz at level 6
    asyncio_peer.py csv  IN OUT      OUT/<path>: id,city,amount of the rows with amount > 500

A thread does not run Python code in parallel (the GIL), so for CPU-bound work in Python the same articles move it to
processes: loop.run_in_executor with a concurrent.futures.ProcessPoolExecutor of one worker per core, a task per file.

    asyncio_peer.py csv-processes IN OUT      the csv job, each file in a worker process
"""
import asyncio
import concurrent.futures
import csv
import gzip
import hashlib
import io
import os
import sys

LIMIT = 2 * (os.cpu_count() or 2)


def files_under(root):
    for folder, _, names in os.walk(root):
        for name in names:
            yield os.path.relpath(os.path.join(folder, name), root)


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def gzip_to(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(src, "rb") as fin, gzip.open(dst, "wb", compresslevel=6) as fout:
        while chunk := fin.read(1 << 20):
            fout.write(chunk)


def csv_to(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(src, newline="", encoding="utf-8-sig") as fin, open(dst, "w", newline="", encoding="utf-8") as fout:
        reader = csv.reader(fin)
        writer = csv.writer(fout, lineterminator="\n")
        header = next(reader)
        index = {name: i for i, name in enumerate(header)}
        writer.writerow(["id", "city", "amount"])
        for row in reader:
            if len(row) != len(header):
                continue  # malformed: left out
            try:
                if float(row[index["amount"]]) <= 500:
                    continue
            except ValueError:
                continue
            writer.writerow([row[index["id"]], row[index["city"]], row[index["amount"]]])


async def in_processes(root, out):
    loop = asyncio.get_running_loop()
    os.makedirs(out, exist_ok=True)
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        await asyncio.gather(*(
            loop.run_in_executor(pool, csv_to, os.path.join(root, relative), os.path.join(out, relative))
            for relative in files_under(root)
        ))


async def main(mode, root, out):
    if mode == "csv-processes":
        return await in_processes(root, out)
    semaphore = asyncio.Semaphore(LIMIT)
    os.makedirs(out, exist_ok=True)

    async def one(relative):
        async with semaphore:
            src = os.path.join(root, relative)
            if mode == "hash":
                return relative, await asyncio.to_thread(sha256_of, src)
            if mode == "gzip":
                await asyncio.to_thread(gzip_to, src, os.path.join(out, relative + ".gz"))
            else:
                await asyncio.to_thread(csv_to, src, os.path.join(out, relative))
            return relative, None

    tasks = [asyncio.create_task(one(relative)) for relative in files_under(root)]
    results = await asyncio.gather(*tasks)
    if mode == "hash":
        with open(os.path.join(out, "SHA256SUMS"), "w", encoding="utf-8") as sums:
            for relative, digest in sorted(results):
                sums.write(f"{digest}  {relative}\n")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
