package main

// The zone database goes into the binary: `serve --tz` must know
// Asia/Shanghai on a Windows server, which has no zoneinfo files.
import _ "time/tzdata"
