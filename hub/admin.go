package hub

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"motcua/api"
)

// The administration commands (agency add, key issue, …) must work while the
// hub is serving, but bbolt lets one process hold the data file. So the
// serving hub listens on a Unix socket inside its data folder (mode 0600: who
// can reach it can read hub.db anyway) and runs the commands itself; the
// command line tries the socket first and opens the folder only when no hub
// answers there. A change made through the socket is in effect for the next
// request (keys are checked against the database on every call).

// AdminSocket is the socket's path inside a data folder.
func AdminSocket(dataDir string) string { return filepath.Join(dataDir, "admin.sock") }

// AdminRequest is one administration command.
type AdminRequest struct {
	Cmd    string `json:"cmd"` // agency-add, agency-list, agency-active, key-issue, key-revoke, portal-add, portal-list, portal-key-issue, portal-key-revoke
	Code   string `json:"code,omitempty"`
	Name   string `json:"name,omitempty"`
	Parent string `json:"parent,omitempty"`
	Level  string `json:"level,omitempty"`
	Active bool   `json:"active,omitempty"`
}

// AdminResponse is its answer: Error is set on failure.
type AdminResponse struct {
	Error    string       `json:"error,omitempty"`
	Key      string       `json:"key,omitempty"`
	Revoked  int          `json:"revoked,omitempty"`
	Agencies []api.Agency `json:"agencies,omitempty"`
	Portals  []Portal     `json:"portals,omitempty"`
}

// Admin runs one administration command on this hub.
func (h *Hub) Admin(req AdminRequest) AdminResponse {
	var out AdminResponse
	var err error
	switch req.Cmd {
	case "agency-add":
		level := api.AgencyLevel(req.Level)
		if level == "" {
			level = api.LevelOther
		}
		out.Key, err = h.AddAgencyLevel(req.Code, req.Name, req.Parent, level)
	case "agency-list":
		out.Agencies, err = h.Agencies()
	case "agency-active":
		err = h.SetAgencyActive(req.Code, req.Active)
	case "key-issue":
		out.Key, err = h.IssueKey(req.Code)
	case "key-revoke":
		out.Revoked, err = h.RevokeKey(req.Code)
	case "portal-add":
		out.Key, err = h.AddPortal(req.Code, req.Name)
	case "portal-list":
		out.Portals, err = h.Portals()
	case "portal-key-issue":
		out.Key, err = h.IssuePortalKey(req.Code)
	case "portal-key-revoke":
		out.Revoked, err = h.RevokePortalKey(req.Code)
	default:
		err = fmt.Errorf("unknown administration command %q", req.Cmd)
	}
	if err != nil {
		out.Error = err.Error()
	}
	return out
}

// ErrAnotherHub: a hub already serves this data folder.
var ErrAnotherHub = errors.New("hub: another hub answers")

// ServeAdmin answers administration commands on the data folder's socket until
// ctx ends. A socket file left by a crashed hub is replaced.
func (h *Hub) ServeAdmin(ctx context.Context) error {
	path := AdminSocket(h.dir)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("%w on %s", ErrAnotherHub, path)
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("hub: admin socket: %w", err)
	}
	// Windows keeps a socket's access with the folder's (the data folder
	// of a service is the service account's own); chmod does not apply.
	if err := os.Chmod(path, 0o600); err != nil && runtime.GOOS != "windows" {
		ln.Close()
		return err
	}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	go func() {
		defer os.Remove(path)
		for {
			c, err := ln.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					h.log.WithError(err).Error("admin socket")
				}
				return
			}
			go h.adminConn(c)
		}
	}()
	return nil
}

func (h *Hub) adminConn(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var req AdminRequest
	line, err := bufio.NewReader(io.LimitReader(c, 64<<10)).ReadBytes('\n')
	var resp AdminResponse
	if err != nil || json.Unmarshal(line, &req) != nil {
		resp.Error = "malformed administration request"
	} else {
		resp = h.Admin(req)
		h.log.WithField("cmd", req.Cmd).WithField("code", req.Code).WithField("ok", resp.Error == "").Info("admin command")
	}
	json.NewEncoder(c).Encode(resp)
}

// ErrNoHubServing says no hub answers on the admin socket of a data folder.
var ErrNoHubServing = errors.New("hub: no hub is serving this data folder")

// AdminCall sends a command to the hub serving dataDir.
func AdminCall(dataDir string, req AdminRequest) (AdminResponse, error) {
	var resp AdminResponse
	c, err := net.DialTimeout("unix", AdminSocket(dataDir), 2*time.Second)
	if err != nil {
		return resp, fmt.Errorf("%w: %v", ErrNoHubServing, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	body, _ := json.Marshal(req)
	if _, err := c.Write(append(body, '\n')); err != nil {
		return resp, err
	}
	if err := json.NewDecoder(c).Decode(&resp); err != nil {
		return resp, fmt.Errorf("hub: admin answer: %w", err)
	}
	return resp, nil
}
