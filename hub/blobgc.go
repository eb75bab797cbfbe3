package hub

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"regexp"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Buckets added after v1; every list of buckets to create includes these.
var newBuckets = [][]byte{bBlobRefs, bBlobUp, bUsage}

var hex64 = regexp.MustCompile(`[0-9a-f]{64}`)

// backfillBlobRefs marks, once, the blobs that a hub of an earlier version
// already referenced: any SHA-256 in a stored transfer or event, and any blob
// that more than one agency may read (a grant happened).
func backfillBlobRefs(tx *bolt.Tx) error {
	refs := tx.Bucket(bBlobRefs)
	mark := func(_, v []byte) error {
		for _, m := range hex64.FindAll(v, -1) {
			if err := refs.Put(bytes.Clone(m), []byte{}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := tx.Bucket(bTransfers).ForEach(mark); err != nil {
		return err
	}
	eb := tx.Bucket(bEvents)
	if err := eb.ForEachBucket(func(k []byte) error { return eb.Bucket(k).ForEach(mark) }); err != nil {
		return err
	}
	readers := map[string]int{}
	tx.Bucket(bBlobACL).ForEach(func(k, _ []byte) error {
		if i := bytes.IndexByte(k, 0); i > 0 {
			readers[string(k[:i])]++
		}
		return nil
	})
	for hx, n := range readers {
		if n > 1 {
			if err := refs.Put([]byte(hx), []byte{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func usageOf(tx *bolt.Tx, agency string) int64 {
	v := tx.Bucket(bUsage).Get([]byte(agency))
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

func addUsage(tx *bolt.Tx, agency string, delta int64) error {
	n := usageOf(tx, agency) + delta
	if n < 0 {
		n = 0
	}
	return tx.Bucket(bUsage).Put([]byte(agency), be64(uint64(n)))
}

// overQuota says whether agency may not add size more bytes of blob hx.
func (h *Hub) overQuota(tx *bolt.Tx, agency, hx string, size int64) *api.Problem {
	if h.opts.BlobQuota < 0 || tx.Bucket(bBlobUp).Get(join(agency, hx)) != nil {
		return nil
	}
	used := usageOf(tx, agency)
	if used+size <= h.opts.BlobQuota {
		return nil
	}
	return problem(api.CodePayloadTooLarge, fmt.Sprintf(
		"storage quota of this agency exceeded: %d of %d bytes used, this blob needs %d more; unreferenced uploads are freed %s after upload, or ask the hub administrator for a larger quota",
		used, h.opts.BlobQuota, size, h.opts.BlobGrace))
}

// recordUpload counts a blob against the uploader's quota (once per agency).
func recordUpload(tx *bolt.Tx, agency, hx string, size int64) error {
	k := join(agency, hx)
	if tx.Bucket(bBlobUp).Get(k) != nil {
		return nil
	}
	if err := tx.Bucket(bBlobUp).Put(k, []byte{}); err != nil {
		return err
	}
	return addUsage(tx, agency, size)
}

// CollectBlobs deletes the blobs that no transfer or submission references
// and that were uploaded more than BlobGrace ago, with their read grants and
// their weight in the uploaders' quotas. It returns how many went.
func (h *Hub) CollectBlobs() (int, error) {
	cut := h.opts.Now().Add(-h.opts.BlobGrace)
	var gone []string
	err := h.db.Update(func(tx *bolt.Tx) error {
		refs := tx.Bucket(bBlobRefs)
		bb := tx.Bucket(bBlobs)
		type cand struct {
			hx   string
			size int64
		}
		var cands []cand
		err := bb.ForEach(func(k, v []byte) error {
			if refs.Get(k) != nil {
				return nil
			}
			var rec blobRecord
			if json.Unmarshal(v, &rec) != nil || rec.CreatedAt.After(cut) {
				return nil
			}
			cands = append(cands, cand{string(k), rec.Size})
			return nil
		})
		if err != nil {
			return err
		}
		acl := tx.Bucket(bBlobACL)
		for _, c := range cands {
			var readers []string
			prefix := join(c.hx, "")
			cur := acl.Cursor()
			for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
				readers = append(readers, string(k[len(prefix):]))
			}
			for _, a := range readers {
				if err := acl.Delete(join(c.hx, a)); err != nil {
					return err
				}
				if tx.Bucket(bBlobUp).Get(join(a, c.hx)) != nil {
					if err := tx.Bucket(bBlobUp).Delete(join(a, c.hx)); err != nil {
						return err
					}
					if err := addUsage(tx, a, -c.size); err != nil {
						return err
					}
				}
			}
			if err := bb.Delete([]byte(c.hx)); err != nil {
				return err
			}
			gone = append(gone, c.hx)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, hx := range gone {
		if err := os.Remove(h.blobPath(hx)); err != nil && !os.IsNotExist(err) {
			h.log.WithError(err).WithField("blob", hx).Warn("blob file not removed")
		}
	}
	return len(gone), nil
}

// BlobUsage is the bytes of blobs an agency has uploaded and still on the hub.
func (h *Hub) BlobUsage(agency string) (n int64) {
	h.db.View(func(tx *bolt.Tx) error { n = usageOf(tx, agency); return nil })
	return n
}

// quotaCheck is the cheap check before an upload streams: the announced
// Content-Length alone would put the agency over its quota.
func (h *Hub) quotaCheck(agency, hx string, size int64) error {
	return h.db.View(func(tx *bolt.Tx) error {
		if p := h.overQuota(tx, agency, hx, size); p != nil {
			return p
		}
		return nil
	})
}
