// Builds the map page into web/dist/ with no network: everything comes from node_modules
// (installed by `npm ci` from package-lock.json) and from web/src/.
//   dist/index.html, app.js, app.css   the page (Leaflet + markercluster bundled by esbuild)
//   dist/countries.geojson             Natural Earth 1:50m country outlines (world-atlas),
//                                      cut to the map's region
//   dist/docs.html, swagger/           Swagger UI (swagger-ui-dist) for /docs
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
const mod = (p) => join(here, "node_modules", p);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "swagger"), { recursive: true });

await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020"],
  outfile: join(out, "app.js"),
  legalComments: "linked",
  logLevel: "warning",
});
await build({
  entryPoints: [join(here, "src", "style.css")],
  bundle: true,
  minify: true,
  loader: { ".png": "dataurl", ".svg": "dataurl" },
  outfile: join(out, "app.css"),
  logLevel: "warning",
});

// Country outlines: the region the map shows, coordinates rounded to ~100 m.
const REGION = [14.0, 40.0, 50.0, 58.0]; // west, south, east, north
const topo = JSON.parse(readFileSync(mod("world-atlas/countries-50m.json"), "utf8"));
const countries = feature(topo, topo.objects.countries);
const round = (c) => (typeof c[0] === "number"
  ? [Math.round(c[0] * 1000) / 1000, Math.round(c[1] * 1000) / 1000]
  : c.map(round));
function touches(geom) {
  let hit = false;
  const walk = (c) => {
    if (hit) return;
    if (typeof c[0] === "number") {
      if (c[0] >= REGION[0] && c[0] <= REGION[2] && c[1] >= REGION[1] && c[1] <= REGION[3]) hit = true;
    } else c.forEach(walk);
  };
  walk(geom.coordinates);
  return hit;
}
const kept = countries.features
  .filter((f) => f.geometry && touches(f.geometry))
  .map((f) => ({
    type: "Feature",
    properties: { name: f.properties.name },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  }));
writeFileSync(join(out, "countries.geojson"),
  JSON.stringify({ type: "FeatureCollection", features: kept }));

copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
copyFileSync(join(here, "src", "docs.html"), join(out, "docs.html"));
copyFileSync(join(here, "src", "swagger-init.js"), join(out, "swagger", "swagger-init.js"));
for (const f of ["swagger-ui.css", "swagger-ui-bundle.js", "LICENSE"]) {
  copyFileSync(mod(`swagger-ui-dist/${f}`), join(out, "swagger", f));
}
console.log(`web: built ${out} (${kept.length} country outlines)`);
