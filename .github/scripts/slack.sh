#!/usr/bin/env bash
# Posts one line to the team's Slack channel through the incoming webhook in SLACK_WEBHOOK_URL (the
# job's GitHub environment secret, docs/runbook.md). Fail-soft like every notification: no webhook, or
# a post that does not get through, is a warning in the run and never a failed step. The webhook URL
# is a credential: nothing here prints it (curl's own errors name the host at most).
# Usage: .github/scripts/slack.sh "staging: pulumi up of <sha> succeeded"
set -uo pipefail

text=${1:?usage: slack.sh TEXT}
if [ -z "${SLACK_WEBHOOK_URL:-}" ]; then
  echo "::notice::SLACK_WEBHOOK_URL is not set in this job's environment: nothing posted to Slack"
  exit 0
fi
run=""
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then
  run="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
fi
# Slack's mrkdwn reads &, < and > as markup: the text is escaped, then the run's link added.
body=$(jq -cn --arg text "$text" --arg run "$run" \
  '{text: (($text | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")) + (if $run == "" then "" else " <" + $run + "|the run>" end))}')

# The URL goes to curl through a config on stdin, never on its command line (where ps shows it).
errors=$(mktemp)
if ! answer=$(printf 'url = "%s"\n' "$SLACK_WEBHOOK_URL" | curl --config - --silent --show-error --max-time 10 --retry 2 --retry-delay 1 \
  --header 'content-type: application/json' --data "$body" --write-out '\n%{http_code}' 2>"$errors"); then
  echo "::warning::Slack post failed: $(tr '\n' ' ' < "$errors" | cut -c1-200)"
  rm -f "$errors"
  exit 0
fi
rm -f "$errors"
status=$(printf '%s' "$answer" | tail -n 1)
if [ "$status" != 200 ]; then
  echo "::warning::Slack answered HTTP $status: $(printf '%s' "$answer" | sed '$d' | paste -sd ' ' | cut -c1-200)"
fi
exit 0
