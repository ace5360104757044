"""The archive's gzip stream, written one way and read back strictly.

Written with a fixed 10-byte header (no file name, time 0, OS "unknown"),
so that every header byte is known: `gzip -t` and zlib ignore a changed
time or OS byte, this reader does not. Read back with zlib's gzip decoder,
which checks the CRC-32 and the length of all the data (tar headers, file
contents, padding) at the end; then nothing may follow the stream. A byte
changed anywhere in the file therefore fails here, or in the members'
SHA-256 and the manifest's signature (workflows.backup.archive)."""

import gzip
import io
import zlib

from django.utils.translation import gettext_lazy as _

from .errors import damaged

COMPRESS_LEVEL = 6
# What gzip.GzipFile writes with filename="" and mtime=0 at COMPRESS_LEVEL:
# magic, deflate, no flags, time 0, no extra flags (level 6), OS unknown.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_BLOCK = 1 << 20


def gzip_writer(raw):
    return gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0, compresslevel=COMPRESS_LEVEL)


class _VerifiedGzip(io.RawIOBase):
    """The decompressed bytes of a file gzip_writer wrote. Raises BackupError
    for a header not as written, data cut short or following the stream;
    zlib.error for a CRC-32, length or deflate error."""

    def __init__(self, raw):
        if raw.read(len(HEADER)) != HEADER:
            raise damaged(_("its gzip header is not the one UnionFlow writes"))
        self.raw = raw
        self.inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        # Fed the header again: zlib's gzip decoder checks the trailer
        # against the header it has read itself.
        self.input = HEADER
        self.pending = bytearray()
        self.finished = False

    def readable(self):
        return True

    def _fill(self, want):
        while not self.pending and not self.finished:
            if self.inflater.eof:
                if self.inflater.unused_data or self.input or self.raw.read(1):
                    raise damaged(_("it holds data after the end of its compressed stream"))
                self.finished = True
                return
            data = self.inflater.unconsumed_tail or self.input or self.raw.read(_BLOCK)
            self.input = b""
            if not data:
                raise damaged(_("it is cut short"))
            self.pending += self.inflater.decompress(data, max(want, _BLOCK))

    def readinto(self, buffer):
        self._fill(len(buffer))
        count = min(len(buffer), len(self.pending))
        buffer[:count] = self.pending[:count]
        del self.pending[:count]
        return count


def verified_gzip_reader(raw):
    return io.BufferedReader(_VerifiedGzip(raw), buffer_size=_BLOCK)
