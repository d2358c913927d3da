/**
 * The export side of air-gapped transfers (issue 9), for {@code berth export | inventory | verify}.
 * <ul>
 *   <li>{@link io.berth.store.transfer.export.SourceRegistry#connect} makes a client for a registry
 *       URL and credential; {@link io.berth.store.transfer.export.SourceRegistry#of} wraps it.</li>
 *   <li>{@link io.berth.store.transfer.export.BundleExporter#export} writes a bundle for an
 *       {@link io.berth.store.transfer.export.ExportRequest} (selectors as
 *       {@link io.berth.store.transfer.export.ImageSelector} documents them, {@code --platform} as a
 *       {@link io.berth.store.transfer.export.PlatformFilter}, {@code --referrers}, {@code --inventory}
 *       as a {@link io.berth.store.transfer.export.SiteInventory}, {@code --split} through
 *       {@link io.berth.store.transfer.export.ByteSize}), telling an
 *       {@link io.berth.store.transfer.export.ExportListener} bytes per image and overall.</li>
 *   <li>{@link io.berth.store.transfer.export.InventoryTaker#take} lists what a registry holds;
 *       {@link io.berth.store.transfer.export.SiteInventory#write} and {@code read} carry it.</li>
 *   <li>{@link io.berth.store.transfer.export.BundleHead#read} reads a bundle's descriptor (bundle,
 *       first part, or sidecar); {@link io.berth.store.transfer.export.BundleVerifier#verify} checks
 *       a registry against it.</li>
 * </ul>
 * Every failure is an {@link io.berth.store.transfer.export.ExportException} (or, for input that
 * cannot be read, a {@code RegistryException} with {@code INVALID_INPUT}) whose message says what to do.
 */
package io.berth.store.transfer.export;
