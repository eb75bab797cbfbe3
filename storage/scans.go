package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"motcua/app"
)

// Scans live in the database file itself, so that a backup or an exported
// office carries them. A scan is stored in chunks (sha/0000, sha/0001, …)
// beside a size record under its bare digest: bbolt keeps a large value on
// contiguous pages, which small chunks avoid.
var bScans = []byte("scans")

const scanChunk = 512 << 10

func (t *tx) PutScan(sha string, data []byte) error {
	const op = "storage.PutScan"
	b, err := t.tx.CreateBucketIfNotExists(bScans)
	if err != nil {
		return app.E(op, app.KindOther, app.MsgScanWrite, err)
	}
	if b.Get([]byte(sha)) != nil {
		return nil // the same content is already here
	}
	for i := 0; i*scanChunk < len(data); i++ {
		part := data[i*scanChunk : min((i+1)*scanChunk, len(data))]
		if err := b.Put(chunkKey(sha, i), part); err != nil {
			return app.E(op, app.KindOther, app.MsgScanWrite, err)
		}
	}
	var size [8]byte
	binary.BigEndian.PutUint64(size[:], uint64(len(data)))
	if err := b.Put([]byte(sha), size[:]); err != nil {
		return app.E(op, app.KindOther, app.MsgScanWrite, err)
	}
	return nil
}

func chunkKey(sha string, i int) []byte { return fmt.Appendf(nil, "%s/%04d", sha, i) }

func (t *tx) Scan(sha string) ([]byte, error) {
	const op = "storage.Scan"
	b := t.tx.Bucket(bScans)
	var head []byte
	if b != nil {
		head = b.Get([]byte(sha))
	}
	if len(head) != 8 {
		return nil, app.E(op, app.KindNotFound, app.MsgScanNotFound)
	}
	size := binary.BigEndian.Uint64(head)
	if size > app.MaxScanSize {
		return nil, app.E(op, app.KindOther, app.MsgScanCorrupt)
	}
	out := make([]byte, 0, size)
	for i := 0; uint64(len(out)) < size; i++ {
		part := b.Get(chunkKey(sha, i))
		if part == nil {
			return nil, app.E(op, app.KindOther, app.MsgScanPartMissing)
		}
		out = append(out, part...)
	}
	return out, nil
}

func (t *tx) HasScan(sha string) (bool, error) {
	b := t.tx.Bucket(bScans)
	return b != nil && b.Get([]byte(sha)) != nil, nil
}

// ScanDigests lists the digest of every scan in the file, in order (moving
// an office to a server copies them).
func (db *DB) ScanDigests() ([]string, error) {
	var out []string
	err := db.bolt.View(func(btx *bolt.Tx) error {
		b := btx.Bucket(bScans)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			if !bytes.ContainsRune(k, '/') {
				out = append(out, string(k))
			}
			return nil
		})
	})
	return out, wrapBolt("storage.ScanDigests", err)
}
