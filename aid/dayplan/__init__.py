"""Day plans: the database and the routing engine glued together, without Flask requests.

- `settings`: what a dispatcher may set, its bounds, reading a submitted form
- `gather`: a day's Problem from the database (deliveries, drivers, depots, holds); `day`:
  what a date offers (drivers free that day, depots' hours, its published plan)
- `run`: a plan's background job (in-process or RQ), `states`: when an unfinished one failed
- `store`: the engine's answer into routes and stops with codes; `publish`: to the drivers
- `read`: plans for the pages; `svgmap`: the map, drawn by the app itself
"""
