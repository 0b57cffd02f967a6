"""The task domain every blueprint shares: making tasks from requests, the board, claims.

One task model serves every kind of work (aid.vocabulary.TASK_KINDS): a grocery delivery, a
translation, a court accompaniment, packing, and later kit assembly, canvassing and post-raid
follow-up. Each kind says whether holding it reveals an address, and so which tier may hold
it; the claim, release, completion and reveal rules are written once, here, for all.

- `making`: tasks from an approved request; weekly deliveries made ahead
- `board`: the open tasks a volunteer can do, near them, in their availability
- `claims`: claim (one winner), release, complete, reveal to the holder (audited), holds
"""
