#!/usr/bin/env bash
# Uploads the console to the stack's bucket with a generated config.json, then refreshes CloudFront.
# Usage: web/deploy.sh <stack-name> [region]      (after `sam deploy` with DeployConsole=true)
# Needs the AWS CLI with credentials for the account. Only the console's own files are uploaded.
set -euo pipefail
stack=${1:?usage: web/deploy.sh <stack-name> [region]}
region=${2:-${AWS_REGION:-$(aws configure get region)}}
cd "$(dirname "$0")"

out() { aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
bucket=$(out ConsoleBucketName)
if [ -z "$bucket" ] || [ "$bucket" = "None" ]; then
  echo "Stack $stack has no console (deploy it with DeployConsole=true)" >&2
  exit 1
fi
console_url=$(out ConsoleUrl)
distribution=$(out ConsoleDistributionId)

# The generated config: where the API is and how to sign in (hosted UI, authorization code with PKCE).
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat > "$config" <<JSON
{"apiBaseUrl": "$(out ApiUrl)",
 "auth": {"mode": "cognito", "domain": "$(out AuthDomain)", "clientId": "$(out UserPoolClientId)",
          "redirectUri": "$console_url", "scopes": "openid email profile"}}
JSON

aws s3 sync --region "$region" --delete . "s3://$bucket/" \
  --exclude '*' --include 'index.html' --include 'styles.css' --include 'src/*' --include 'assets/*'
aws s3 cp --region "$region" "$config" "s3://$bucket/config.json" --content-type application/json --cache-control no-store
aws cloudfront create-invalidation --distribution-id "$distribution" --paths '/*' >/dev/null
echo "Console deployed: $console_url"
