# guardduty-lake runtime image: `docker build -t guardduty-lake .`
# Runs as the ECS Fargate task (deploy/); configuration comes from GDL_* variables and credentials
# from the task role. Nothing secret and no AWS configuration is baked in.
# test/e2e/pack.test.ts mirrors these steps without a Docker engine (npm pack, install --omit=dev, run).

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:22.23.3-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY deploy/package.json deploy/
# --workspaces=false: the CDK app (deploy/) and its aws-cdk-lib are not part of the image.
RUN npm ci --ignore-scripts --no-audit --no-fund --workspaces=false
COPY src/ src/
RUN npm run build

# ---- runtime: production dependencies only, non-root ----
FROM node:22.23.3-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY deploy/package.json deploy/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/ dist/
COPY templates/ templates/
USER node
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["export"]
