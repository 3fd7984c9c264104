package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The reviewer's side of entity conflicts: list the open ones of the
// county and resolve one, over the review API (wire.EntityConflictsPath).

func (a *App) reviewConflictsCommand() *Command {
	var inClear *bool
	c := a.reviewLeaf("conflicts", "syn.review_conflicts", exactly(0), func(ctx context.Context, c *laptop.Client, _ []string) error {
		path := wire.EntityConflictsPath
		if *inClear {
			path += "?clear=1"
		}
		var list []wire.EntityConflict
		if err := reviewCall(ctx, c, http.MethodGet, path, nil, &list); err != nil {
			return a.reviewFailed(err)
		}
		t := &table{}
		t.add(a.heads("h.id", "h.list", "h.entity", "h.label", "h.version", "h.base", "h.device", "h.properties", "h.before")...)
		for _, x := range list {
			t.add(x.ID, x.List, x.EntityID, x.Label, strconv.FormatInt(x.Version, 10), strconv.FormatInt(x.BaseVersion, 10),
				x.DeviceID, propertiesText(x.Current), propertiesText(x.Before))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_conflicts", len(list), len(list)))
		return nil
	})
	inClear = c.Flags.Bool("clear", false, a.t("flag.conflicts_clear"))
	return c
}

func (a *App) reviewResolveCommand() *Command {
	var keep *string
	var sets multiFlag
	c := a.reviewLeaf("resolve", "syn.review_resolve", exactly(1), func(ctx context.Context, c *laptop.Client, args []string) error {
		if *keep == "" {
			return errUsage
		}
		res := wire.EntityResolution{Keep: *keep}
		for _, s := range sets {
			k, v, ok := strings.Cut(s, "=")
			if !ok || k == "" {
				return &usageError{msg: a.f("resolve.bad_set", s)}
			}
			if res.Properties == nil {
				res.Properties = map[string]string{}
			}
			res.Properties[k] = v
		}
		body, err := json.Marshal(res)
		if err != nil {
			return err
		}
		var e wire.Entity
		if err := reviewCall(ctx, c, http.MethodPost, wire.EntityConflictsPath+"/"+url.PathEscape(args[0])+"/resolve", body, &e); err != nil {
			return a.reviewFailed(err)
		}
		a.say(a.Stdout, "resolve.done", args[0], res.Keep, e.List, e.ID, e.Version)
		return nil
	})
	keep = c.Flags.String("keep", "", a.t("flag.resolve_keep"))
	c.Flags.Var(&sets, "set", a.t("flag.resolve_set"))
	return c
}

// maxAnswer bounds an answer of the review API read here: a county's
// open conflicts, a few kilobytes each.
const maxAnswer = 64 << 20

// reviewCall makes one request of the review API with the reviewer's
// token and decodes the answer into out; an answer other than 200 is a
// *laptop.StatusError, as the laptop's client gives, so reviewFailed
// words it. Resolving is not retried: it makes a new version each time.
func reviewCall(ctx context.Context, c *laptop.Client, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := c.HTTP
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return err
	}
	if len(data) > maxAnswer {
		return fmt.Errorf("the catalogue's answer is larger than %d bytes", maxAnswer)
	}
	if resp.StatusCode != http.StatusOK {
		var p wire.Problem
		if json.Unmarshal(data, &p) != nil || p.Error == "" {
			p.Error = resp.Status
		}
		return &laptop.StatusError{Status: resp.StatusCode, Msg: p.Error}
	}
	return json.Unmarshal(data, out)
}
