package api

import "time"

// DailyDigest is one day of an office's tamper-evidence digests
// (PUT/GET /v1/digests/{date}); docs/central-api-extensions.md describes how
// the office forms it. The hub keeps the first copy of each day per agency.
type DailyDigest struct {
	Date       string    `json:"date"`         // YYYY-MM-DD
	Chains     int       `json:"chains"`       // dossier chains changed that day
	HeadsSHA   string    `json:"heads_sha256"` // SHA-256 of the day's heads list
	Previous   string    `json:"previous"`     // the previous day's digest, "" for the first
	Digest     string    `json:"digest"`
	SealedAt   time.Time `json:"sealed_at"`
	ReceivedAt time.Time `json:"received_at,omitzero"` // set by the hub
}

// DigestPage is a page of an agency's digests in date order.
type DigestPage struct {
	Items []DailyDigest `json:"items"`
	Next  string        `json:"next_from,omitempty"` // the from of the following page, "" at the end
}
