package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Daily digests: the office's chain heads rolled up into one hash per day,
// chained to the previous day's, printed on the register and the periodic
// report and, when the office is connected, kept by the hub
// (PUT /v1/digests/{date}). A copy off the PC is what makes a rewritten
// history visible: whoever edits the database can recompute every hash in
// it, but not the paper or the hub's copy.
//
// How a digest is formed (docs/integrity.md):
//
//   - the head of a dossier's chain on day D is the Hash of the last history
//     entry whose time (At, Vietnam zone) falls on D;
//   - the heads list of D is, for every dossier whose chain got an entry on D,
//     in byte order of the code, the line "{code} {head}\n";
//     heads_sha256 = hex SHA-256 of that list;
//   - digest(D) = hex SHA-256 of
//     "motcua-digest-v1\n{YYYY-MM-DD}\n{previous digest or empty}\n{number of chains}\n{heads_sha256}\n",
//     where the previous digest is the one of the last earlier day with changes.
//
// A day is sealed once it is over (SealDigests: at start-up, before a report
// or register is printed, and by the full check); a day without changes has
// no digest.

// DailyDigest is one day's digest.
type DailyDigest struct {
	Date     string    `json:"date"`         // YYYY-MM-DD (Vietnam)
	Chains   int       `json:"chains"`       // dossiers whose chain changed that day
	HeadsSHA string    `json:"heads_sha256"` // SHA-256 of the heads list
	Previous string    `json:"previous"`     // the previous day's digest ("" for the first)
	Digest   string    `json:"digest"`
	SealedAt time.Time `json:"sealed_at"`
}

// DigestTx is what the digests need from a store transaction, beyond Tx.
// storage's transactions implement it; Service asserts it from Tx.
type DigestTx interface {
	// ChainHeads calls fn with every dossier whose chain got entries on day,
	// in code order, with the hash of its last entry of that day. The store
	// keeps this index in step with AppendHistory.
	ChainHeads(day Day, fn func(code, head string) error) error
	// NextChainDay returns the first day after `after` on which some chain
	// changed; ok is false when there is none.
	NextChainDay(after Day) (day Day, ok bool, err error)
	// LastDigest returns the latest sealed digest, nil when there is none.
	LastDigest() (*DailyDigest, error)
	PutDigest(d *DailyDigest) error
	// Digests calls fn with every stored digest of [from, to] (dates
	// YYYY-MM-DD, "" = unbounded), in date order.
	Digests(from, to string, fn func(DailyDigest) error) error
}

// DigestSource is the hub's copy of the office's digests (client.Client
// implements it); Service.SetDigestSource wires it for the full check.
type DigestSource interface {
	HubDigests(from, to string) ([]DailyDigest, error)
}

// OutboxDigest asks the hub to keep a daily digest (PUT /v1/digests/{date}).
const OutboxDigest OutboxKind = "digest.put"

// DigestQueue is the outbox queue of the digests: sent in date order.
const DigestQueue = "digests"

// Date formats a day as YYYY-MM-DD.
func (d Day) Date() string { return d.Time().Format(time.DateOnly) }

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, Vietnam)
	if err != nil {
		return 0, false
	}
	return DayOf(t), true
}

// HeadsHasher accumulates a day's heads list.
type HeadsHasher struct {
	h hash.Hash
	n int
}

// NewHeadsHasher starts an empty heads list.
func NewHeadsHasher() *HeadsHasher { return &HeadsHasher{h: sha256.New()} }

// Add appends "{code} {head}\n"; codes must come in byte order.
func (x *HeadsHasher) Add(code, head string) {
	x.h.Write([]byte(code))
	x.h.Write([]byte{' '})
	x.h.Write([]byte(head))
	x.h.Write([]byte{'\n'})
	x.n++
}

// Sum returns the number of chains and the list's SHA-256.
func (x *HeadsHasher) Sum() (int, string) { return x.n, hex.EncodeToString(x.h.Sum(nil)) }

// ComputeDigest returns digest(D) from its parts.
func ComputeDigest(date, previous string, chains int, headsSHA string) string {
	sum := sha256.Sum256([]byte("motcua-digest-v1\n" + date + "\n" + previous + "\n" + strconv.Itoa(chains) + "\n" + headsSHA + "\n"))
	return hex.EncodeToString(sum[:])
}

// FooterLine is how a printed page carries the digest: the day it covers
// and the whole hash.
func (d *DailyDigest) FooterLine() string {
	if d == nil {
		return ""
	}
	day, _ := ParseDay(d.Date)
	return fmt.Sprintf("Dấu tổng hợp dữ liệu đến ngày %s: %s", ShortDate(day.Time()), d.Digest)
}

// ParseFooterLine reads a digest as printed by FooterLine ("… đến ngày
// DD/MM/YYYY: <hex>"), typed back by a person: spaces and case do not matter.
func ParseFooterLine(s string) (DailyDigest, bool) {
	s = strings.TrimSpace(NFC(s))
	i := strings.LastIndex(s, ":")
	if i < 10 {
		return DailyDigest{}, false
	}
	hexPart := strings.ToLower(strings.Join(strings.Fields(s[i+1:]), ""))
	date := strings.TrimSpace(s[:i])
	date = date[max(0, len(date)-10):]
	t, err := time.ParseInLocation("02/01/2006", date, Vietnam)
	if err != nil || !sha256Hex.MatchString(hexPart) {
		return DailyDigest{}, false
	}
	return DailyDigest{Date: t.Format(time.DateOnly), Digest: hexPart}, true
}

// Short is the first 16 hex digits of the digest, grouped by 4, as printed.
func (d *DailyDigest) Short() string {
	if len(d.Digest) < 16 {
		return d.Digest
	}
	s := d.Digest[:16]
	return s[:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:16]
}

var digestMu sync.Mutex // one sealer at a time within the process

// SealDigests seals every day that is over and has changes but no digest
// yet, in date order, queueing each for the hub when one is configured. It
// returns the number sealed.
func (s *Service) SealDigests() (int, error) {
	digestMu.Lock()
	defer digestMu.Unlock()
	today := DayOf(s.Now())
	n := 0
	// Most calls find nothing to seal: a read, no write (and no fsync).
	due := false
	if err := s.store.View(func(tx Tx) error {
		dt, ok := txAs[DigestTx](tx)
		if !ok {
			return nil
		}
		last, err := dt.LastDigest()
		if err != nil {
			return err
		}
		after := Day(-1<<31 + 1)
		if last != nil {
			if d, ok := ParseDay(last.Date); ok {
				after = d
			}
		}
		day, ok, err := dt.NextChainDay(after)
		due = ok && day < today
		return err
	}); err != nil || !due {
		return 0, err
	}
	err := s.store.Update(func(tx Tx) error {
		dt, ok := txAs[DigestTx](tx)
		if !ok {
			return nil
		}
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		last, err := dt.LastDigest()
		if err != nil {
			return err
		}
		after, prev := Day(-1<<31+1), ""
		if last != nil {
			if d, ok := ParseDay(last.Date); ok {
				after, prev = d, last.Digest
			}
		}
		for {
			day, ok, err := dt.NextChainDay(after)
			if err != nil {
				return err
			}
			if !ok || day >= today {
				return nil
			}
			hh := NewHeadsHasher()
			if err := dt.ChainHeads(day, func(code, head string) error { hh.Add(code, head); return nil }); err != nil {
				return err
			}
			chains, heads := hh.Sum()
			dg := DailyDigest{Date: day.Date(), Chains: chains, HeadsSHA: heads, Previous: prev, SealedAt: s.Now()}
			dg.Digest = ComputeDigest(dg.Date, prev, chains, heads)
			if err := dt.PutDigest(&dg); err != nil {
				return err
			}
			if st.HubURL != "" {
				if err := enqueue(tx, OutboxDigest, DigestQueue, dg, dg.SealedAt); err != nil {
					return err
				}
			}
			after, prev = day, dg.Digest
			n++
		}
	})
	return n, err
}

// LatestDigest seals what is due and returns the digest of the last sealed
// day on or before `on` (nil when there is none): the one printed in a
// footer.
func (s *Service) LatestDigest(on time.Time) (*DailyDigest, error) {
	if _, err := s.SealDigests(); err != nil {
		return nil, err
	}
	var out *DailyDigest
	err := s.store.View(func(tx Tx) error {
		dt, ok := txAs[DigestTx](tx)
		if !ok {
			return nil
		}
		return dt.Digests("", DayOf(on).Date(), func(d DailyDigest) error { c := d; out = &c; return nil })
	})
	return out, err
}

// Digests returns the stored digests of [from, to] (YYYY-MM-DD, "" = unbounded).
func (s *Service) Digests(from, to string) ([]DailyDigest, error) {
	var out []DailyDigest
	err := s.store.View(func(tx Tx) error {
		dt, ok := txAs[DigestTx](tx)
		if !ok {
			return nil
		}
		return dt.Digests(from, to, func(d DailyDigest) error { out = append(out, d); return nil })
	})
	return out, err
}

// SetDigestSource gives the full check the hub's copy of the digests.
func (s *Service) SetDigestSource(src DigestSource) {
	s.mu.Lock()
	s.hubDigests = src
	s.mu.Unlock()
}
