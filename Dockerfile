FROM node:20-bookworm-slim
WORKDIR /app
# The stand-in (packages/milvus-standin) is a dev-only workspace: the image installs the root's
# production dependencies alone and ships no stand-in code.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY bin ./bin
# The workflow bundle is built here once (dist/workflow-bundle.js), not by webpack at every start.
RUN node --require tsx/cjs src/temporal/workflow-bundle.ts
USER node
CMD ["npx", "tsx", "src/worker.ts"]
